// Placeholder until the simulator's command lands; safe to delete once another file exists here.
