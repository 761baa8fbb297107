import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import PillboxModel

/// Enforces the per-connection limits that Hummingbird leaves to us, below the router:
///
/// - admission: on arrival the connection is registered with the `ConnectionRegistry`,
///   which may close idle connections to make room, or refuse this one (503 and close);
/// - request timeout: from the first byte of a request to its last, else 408 and close;
/// - response timeout: from the first byte of a response to its last being taken by the
///   client, else the connection is closed (a client that does not read cannot hold it);
/// - idle timeout: a connection with no request in progress is closed;
/// - header size: the HTTP decoder's header limit answers 431 (not a bare 400) and closes.
///
/// Sits after the HTTP codec, so it sees request parts; `channelReadComplete` without a
/// parsed head tells it that a request has started arriving.
package final class ConnectionLimitsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    private enum State { case idle, receiving, processing, closing }

    private let requestTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let responseTimeout: TimeAmount
    private let registry: ConnectionRegistry?
    private var state = State.idle
    private var started = false
    private var responseStarted = false
    private var timer: Scheduled<Void>?
    /// Runs while a response is being written, from its head until its end was taken.
    private var responseTimer: Scheduled<Void>?
    private var ticket: ConnectionRegistry.Ticket?
    private var peer: ConnectionTable.Peer?
    private var reportedPhase = ConnectionTable.Phase.idle
    /// The language the current request's head asked for (`Accept-Language`), for a problem
    /// answered before the request is complete; English before any head arrived.
    private var language = Language.en

    /// A handler for one connection; `registry` is shared by all connections (nil: no
    /// connection caps, for in-process tests).
    package init(requestTimeout: TimeAmount, idleTimeout: TimeAmount, responseTimeout: TimeAmount,
                registry: ConnectionRegistry?) {
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.responseTimeout = responseTimeout
        self.registry = registry
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    package func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            responseStarted = false
            language = Language.negotiate(acceptLanguage: head.headerFields[.acceptLanguage])
            if state == .idle { startReceiving(context) }
        case .body:
            break
        case .end:
            timer?.cancel()
            state = .processing
            report()
        }
        context.fireChannelRead(data)
    }

    package func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived but no complete head yet: a request has started.
        if state == .idle { startReceiving(context) }
        context.fireChannelReadComplete()
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responseStarted = true
            startResponseTimer(context)
        case .body:
            break
        case .end:
            // The response is delivered when its last byte was handed to the kernel, not
            // when it was queued: only then is the connection idle again.
            let written = promise ?? context.eventLoop.makePromise()
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            written.futureResult.whenSuccess {
                let (handler, context) = loopBound.value
                handler.responseTimer?.cancel()
                handler.responseTimer = nil
                if handler.state == .processing { handler.becomeIdle(context) } else { handler.report() }
            }
            context.write(data, promise: written)
            return
        }
        context.write(data, promise: promise)
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, parserError == .headerOverflow {
            reject(context, .headersTooLarge)
            return
        }
        context.fireErrorCaught(error)
    }

    /// Registers the connection (once), then waits for its first request.
    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard let registry else { return becomeIdle(context) }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        PeerCredentials.readNow(from: context.channel).whenComplete { result in
            let (handler, context) = loopBound.value
            let credentials = try? result.get()
            let peer = credentials.map { ConnectionTable.Peer(uid: $0.uid, pid: $0.pid) } ?? .unknown
            handler.peer = peer
            guard handler.state != .closing, context.channel.isActive else { return }
            guard let ticket = registry.open(context.channel, peer: peer) else {
                handler.reject(context, .tooManyConnections)
                return
            }
            handler.ticket = ticket
            if handler.state == .idle { handler.becomeIdle(context) } else { handler.report() }
        }
    }

    private func stop() {
        timer?.cancel()
        responseTimer?.cancel()
        responseTimer = nil
        if let ticket { registry?.closed(ticket) }
        ticket = nil
    }

    /// Tells the registry what the connection does, when that changed.
    private func report() {
        guard let ticket, let registry else { return }
        let phase: ConnectionTable.Phase = switch state {
        case .idle: responseTimer == nil ? .idle : .busy
        case .receiving: responseTimer == nil ? .receiving : .busy
        case .processing, .closing: .busy
        }
        guard phase != reportedPhase else { return }
        reportedPhase = phase
        registry.update(ticket, phase)
    }

    private func startReceiving(_ context: ChannelHandlerContext) {
        state = .receiving
        report()
        schedule(context, after: requestTimeout) { handler, context in
            guard handler.state == .receiving else { return }
            handler.registry?.note(.requestTimeout, "Request not received in time; connection closed",
                                   peer: handler.peer, extra: ["limit": "limits.requestTimeoutSeconds"])
            if handler.responseStarted {
                context.close(promise: nil)
            } else {
                handler.reject(context, .requestTimeout)
            }
        }
    }

    private func startResponseTimer(_ context: ChannelHandlerContext) {
        guard responseTimer == nil else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let startedAt = NIODeadline.now()
        responseTimer = context.eventLoop.scheduleTask(in: responseTimeout) {
            let (handler, context) = loopBound.value
            handler.responseTimer = nil
            let pending = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? -1
            handler.registry?.note(.responseTimeout, "Response not taken in time; connection closed",
                                   peer: handler.peer, extra: [
                                       "limit": "limits.responseTimeoutSeconds",
                                       "response.unsentBytes": "\(pending)",
                                       "response.milliseconds": "\((NIODeadline.now() - startedAt).nanoseconds / 1_000_000)",
                                   ])
            handler.state = .closing
            handler.timer?.cancel()
            context.close(promise: nil)
        }
        report()
    }

    private func becomeIdle(_ context: ChannelHandlerContext) {
        state = .idle
        report()
        schedule(context, after: idleTimeout) { handler, context in
            if handler.state == .idle { context.close(promise: nil) }
        }
    }

    private func schedule(_ context: ChannelHandlerContext, after delay: TimeAmount,
                          _ body: @escaping (ConnectionLimitsHandler, ChannelHandlerContext) -> Void) {
        timer?.cancel()
        let loopBound = NIOLoopBound((self, context, body), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            let (handler, context, body) = loopBound.value
            body(handler, context)
        }
    }

    /// Answers with a problem (in the language of the request's head, if one arrived) and
    /// closes the connection.
    private func reject(_ context: ChannelHandlerContext, _ problem: Problem) {
        state = .closing
        timer?.cancel()
        let body = (try? JSONCoding.encoder.encode(problem.details(language))) ?? Data()
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        var head = HTTPResponse(status: problem.status, headerFields: [
            .contentType: "application/problem+json", .contentLength: String(buffer.readableBytes), .connection: "close",
            .contentLanguage: language.rawValue,
        ])
        if let retryAfter = problem.retryAfter { head.headerFields[.retryAfter] = String(retryAfter) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }
}
