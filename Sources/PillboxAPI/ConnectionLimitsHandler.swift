import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Enforces the per-connection limits that Hummingbird leaves to us, below the router:
///
/// - request timeout: from the first byte of a request to its last, else 408 and close;
/// - idle timeout: a connection with no request in progress is closed;
/// - header size: the HTTP decoder's header limit answers 431 (not a bare 400) and closes.
///
/// Sits after the HTTP codec, so it sees request parts; `channelReadComplete` without a
/// parsed head tells it that a request has started arriving.
public final class ConnectionLimitsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    private enum State { case idle, receiving, processing, closing }

    private let requestTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var state = State.idle
    private var responseStarted = false
    private var timer: Scheduled<Void>?

    /// A handler for one connection.
    public init(requestTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { becomeIdle(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        becomeIdle(context)
        context.fireChannelActive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .closing else { return }
        switch unwrapInboundIn(data) {
        case .head:
            responseStarted = false
            if state == .idle { startReceiving(context) }
        case .body:
            break
        case .end:
            timer?.cancel()
            state = .processing
        }
        context.fireChannelRead(data)
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived but no complete head yet: a request has started.
        if state == .idle { startReceiving(context) }
        context.fireChannelReadComplete()
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responseStarted = true
        case .body:
            break
        case .end:
            if state == .processing { becomeIdle(context) }
        }
        context.write(data, promise: promise)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, parserError == .headerOverflow {
            reject(context, status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                   type: "headers-too-large",
                   detail: "the request headers exceed the configured limit (limits.maxHeaderBytes)")
            return
        }
        context.fireErrorCaught(error)
    }

    private func startReceiving(_ context: ChannelHandlerContext) {
        state = .receiving
        schedule(context, after: requestTimeout) { handler, context in
            guard handler.state == .receiving else { return }
            if handler.responseStarted {
                context.close(promise: nil)
            } else {
                handler.reject(context, status: .requestTimeout, type: "request-timeout",
                               detail: "the request did not arrive in full within the configured time (limits.requestTimeoutSeconds)")
            }
        }
    }

    private func becomeIdle(_ context: ChannelHandlerContext) {
        state = .idle
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

    /// Answers with a problem and closes the connection.
    private func reject(_ context: ChannelHandlerContext, status: HTTPResponse.Status, type: String, detail: String) {
        state = .closing
        timer?.cancel()
        let body = #"{"detail":"\#(detail)","status":\#(status.code),"title":"\#(status.reasonPhrase)","type":"https://pillbox.local/problems/\#(type)"}"#
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        let head = HTTPResponse(status: status, headerFields: [
            .contentType: "application/problem+json", .contentLength: String(buffer.readableBytes), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }
}
