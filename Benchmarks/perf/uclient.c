// uclient: minimal HTTP/1.1 keep-alive client over a Unix socket.
// usage: uclient SOCK METHOD PATH BODYFILE|- SECONDS THREADS [idtemplate]
// In the body, %ID% becomes a 12-character token and %N8% 8 digits, unique per request (thread + counter).
// Prints p50/p99/max latency, request count, client CPU per request.
// UCLIENT_EXPECT=404 counts only answers with another status as bad (for the cheapest-route run).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/resource.h>

static const char *sock_path, *method, *path; static char *body; static size_t body_len;
static double seconds; static int nthreads; static int expect_status; /* UCLIENT_EXPECT: the one status that is not 'bad' (default: any 2xx) */
typedef struct { int id; double *lat; long n, cap; long status_bad; int last_status; } worker_t;

static double now(void){ struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec/1e9; }
static int conn(void){ int fd=socket(AF_UNIX,SOCK_STREAM,0); struct sockaddr_un a={0}; a.sun_family=AF_UNIX;
  strncpy(a.sun_path,sock_path,sizeof a.sun_path-1); if(connect(fd,(void*)&a,sizeof a)){perror("connect");exit(1);} return fd; }

static void *run(void *arg){
  worker_t *w=arg; int fd=conn(); char *req=malloc(body_len+1024); char *rbuf=malloc(1<<22); long seq=0;
  double end=now()+seconds;
  while(now()<end){
    char b[4096]; const char *bp=body; size_t bl=body_len;
    if(body && (strstr(body,"%ID%") || strstr(body,"%N8%"))){ // unique per request: %ID% -> 12 characters, %N8% -> 8 digits
      char tok[24], t8[16];
      snprintf(tok,sizeof tok,"%02d%03d%07ld",w->id,(int)(getpid()%1000),seq%10000000);
      snprintf(t8,sizeof t8,"%02d%06ld",w->id,seq%1000000);
      size_t o=0; for(const char *p=body; *p && o<sizeof b-16;){
        if(!strncmp(p,"%ID%",4)){ memcpy(b+o,tok,12); o+=12; p+=4; }
        else if(!strncmp(p,"%N8%",4)){ memcpy(b+o,t8,8); o+=8; p+=4; }
        else b[o++]=*p++; }
      b[o]=0; bp=b; bl=o;
    }
    seq++;
    int hl=sprintf(req,"%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",method,path,bp?bl:0);
    if(bp) memcpy(req+hl,bp,bl);
    double t0=now(); size_t tot=hl+(bp?bl:0), off=0;
    while(off<tot){ ssize_t k=write(fd,req+off,tot-off); if(k<=0){perror("write");exit(1);} off+=k; }
    size_t got=0; long clen=-1; char *hend=NULL;
    for(;;){ ssize_t k=read(fd,rbuf+got,(1<<22)-got-1); if(k<=0){perror("read");exit(1);} got+=k; rbuf[got]=0;
      if(!hend){ hend=strstr(rbuf,"\r\n\r\n"); if(hend){ char *c=strcasestr(rbuf,"content-length:"); clen=c?atol(c+15):0; } }
      if(hend && got >= (size_t)(hend-rbuf)+4+clen) break; }
    double dt=now()-t0;
    int st=atoi(rbuf+9); w->last_status=st; if(expect_status ? st!=expect_status : st>=300) { if(w->status_bad++<3) fprintf(stderr,"status %d: %.300s\n",st,hend?hend+4:rbuf);} 
    if(w->n==w->cap){ w->cap=w->cap?w->cap*2:65536; w->lat=realloc(w->lat,w->cap*sizeof(double)); }
    w->lat[w->n++]=dt;
  }
  close(fd); return NULL;
}
static int cmp(const void*a,const void*b){ double x=*(double*)a,y=*(double*)b; return x<y?-1:x>y; }
int main(int argc,char**argv){
  if(argc<7){fprintf(stderr,"usage\n");return 2;}
  sock_path=argv[1]; method=argv[2]; path=argv[3];
  if(strcmp(argv[4],"-")){ FILE*f=fopen(argv[4],"r"); body=malloc(1<<20); body_len=fread(body,1,(1<<20)-1,f); body[body_len]=0; fclose(f);
    while(body_len && (body[body_len-1]=='\n')) body[--body_len]=0; }
  seconds=atof(argv[5]); nthreads=atoi(argv[6]); if(getenv("UCLIENT_EXPECT")) expect_status=atoi(getenv("UCLIENT_EXPECT"));
  pthread_t th[64]; worker_t ws[64]; memset(ws,0,sizeof ws);
  double t0=now();
  for(int i=0;i<nthreads;i++){ ws[i].id=i; pthread_create(&th[i],0,run,&ws[i]); }
  long total=0,bad=0; for(int i=0;i<nthreads;i++){ pthread_join(th[i],0); total+=ws[i].n; bad+=ws[i].status_bad; }
  double wall=now()-t0;
  double *all=malloc(total*sizeof(double)); long k=0; for(int i=0;i<nthreads;i++){ memcpy(all+k,ws[i].lat,ws[i].n*sizeof(double)); k+=ws[i].n; }
  qsort(all,total,sizeof(double),cmp);
  struct rusage ru; getrusage(RUSAGE_SELF,&ru);
  double cpu=ru.ru_utime.tv_sec+ru.ru_utime.tv_usec/1e6+ru.ru_stime.tv_sec+ru.ru_stime.tv_usec/1e6;
  printf("requests=%ld wall=%.2fs rate=%.0f/s status_last=%d bad=%ld min=%.3fms p50=%.3fms p90=%.3fms p99=%.3fms max=%.3fms client_cpu_per_req=%.1fus\n",
    total,wall,total/wall,ws[0].last_status,bad,all[0]*1e3,all[total/2]*1e3,all[(long)(total*0.9)]*1e3,all[(long)(total*0.99)]*1e3,all[total-1]*1e3,cpu/total*1e6);
  return 0;
}
