package io.sfufleet.sfu.signal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.ClientMessage;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Leave;
import io.sfufleet.model.signal.Ping;
import io.sfufleet.model.signal.Pong;
import io.sfufleet.model.signal.Protocol;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.model.signal.SetMuted;
import io.sfufleet.model.signal.SetViewport;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.sfu.auth.JoinAuth;
import io.sfufleet.sfu.auth.JoinGrant;
import io.sfufleet.sfu.auth.TokenRejected;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.JoinRefused;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.SignalPeer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client's signalling connection. Frames are decoded on the connection's thread, then the
 * message is handed to the media loop, which owns every call: the two never share mutable state.
 */
public final class SignallingHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> implements SignalPeer {
    private static final System.Logger LOG = System.getLogger(SignallingHandler.class.getName());

    /** Counters shared by all connections; read by metrics. */
    public static final class Counters {
        /** TCP connections to the client listener, page loads included. */
        public final LongAdder connections = new LongAdder();
        /** Completed WebSocket handshakes. */
        public final LongAdder websocketsOpened = new LongAdder();
        /** WebSocket connections open now. */
        public final LongAdder websocketsOpen = new LongAdder();
        public final LongAdder messagesIn = new LongAdder();
        public final LongAdder messagesOut = new LongAdder();
        public final LongAdder badMessages = new LongAdder();
        /** Joins refused with UNAUTHORIZED: no token, or a token that did not verify. */
        public final LongAdder unauthorizedJoins = new LongAdder();
        private final java.util.concurrent.atomic.AtomicLong lastBadLogNanos =
                new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - BAD_LOG_INTERVAL_NANOS);
        private final java.util.concurrent.atomic.AtomicLong lastUnauthorizedLogNanos =
                new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - BAD_LOG_INTERVAL_NANOS);

        /** Counts a bad message and logs it unless one was logged in the last 10 s (a flood stays one line). */
        void bad(String from, String what) {
            badMessages.increment();
            if (mayLog(lastBadLogNanos)) {
                LOG.log(System.Logger.Level.WARNING, "bad signalling message from {0}: {1} ({2} so far)",
                        from, what, badMessages.sum());
            }
        }

        /** Counts a refused join token; logged like {@link #bad}. */
        void unauthorized(String from, TokenRejected why) {
            unauthorizedJoins.increment();
            if (mayLog(lastUnauthorizedLogNanos)) {
                LOG.log(System.Logger.Level.INFO, "join from {0} refused, {1}: {2} ({3} so far)",
                        from, why.reason(), why.getMessage(), unauthorizedJoins.sum());
            }
        }

        private static boolean mayLog(java.util.concurrent.atomic.AtomicLong lastLogNanos) {
            long now = System.nanoTime();
            long last = lastLogNanos.get();
            return now - last >= BAD_LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now);
        }
    }

    /** The outcome of checking a join's token: exactly one of the two is set. */
    private record TokenCheck(JoinGrant grant, TokenRejected refused) {
    }

    private static final long BAD_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final SignallingCodec codec;
    private final CallManager calls;
    private final JoinAuth auth;
    private final Executor mediaLoop;
    private final int maxMessageBytes;
    private final Counters counters;
    private Channel channel;
    /** Set once the WebSocket handshake completed; before that the connection speaks plain HTTP. */
    private volatile boolean websocket;
    /** Written and read on the media loop only. */
    private Participant participant;

    public SignallingHandler(SignallingCodec codec, CallManager calls, JoinAuth auth, Executor mediaLoop,
                             int maxMessageBytes, Counters counters) {
        this.codec = codec;
        this.calls = calls;
        this.auth = auth;
        this.mediaLoop = mediaLoop;
        this.maxMessageBytes = maxMessageBytes;
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        counters.connections.increment();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        counters.messagesIn.increment();
        if (frame.content().readableBytes() > maxMessageBytes) {
            counters.bad(remoteAddress(), "message of " + frame.content().readableBytes() + " bytes");
            sendAndClose(new ErrorMessage(ErrorCode.MESSAGE_TOO_LARGE, "message of "
                    + frame.content().readableBytes() + " bytes exceeds the limit of " + maxMessageBytes, true));
            return;
        }
        ClientMessage msg;
        try {
            msg = codec.decode(frame.text());
        } catch (SignallingCodec.DecodeException e) {
            counters.bad(remoteAddress(), e.getMessage());
            send(new ErrorMessage(e.code(), e.getMessage(), false));
            return;
        }
        if (msg instanceof Ping ping) {
            send(new Pong(ping.nonce()));
            return;
        }
        // The token is checked here, on the connection's thread, so a flood of bad joins costs the
        // media loop nothing.
        TokenCheck check = msg instanceof Join join ? checkToken(join) : null;
        mediaLoop.execute(() -> {
            try {
                if (msg instanceof Join join) {
                    handleJoin(join, check);
                } else {
                    handle(msg);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "signalling message " + msg.getClass().getSimpleName() + " failed", e);
                send(new ErrorMessage(ErrorCode.INTERNAL, "the node failed to handle "
                        + msg.getClass().getSimpleName() + "; see the node log", false));
            }
        });
    }

    private TokenCheck checkToken(Join join) {
        try {
            return new TokenCheck(auth.verify(join.token(), join.callId()), null);
        } catch (TokenRejected e) {
            return new TokenCheck(null, e);
        }
    }

    /** Runs on the media loop. */
    private void handleJoin(Join join, TokenCheck check) {
        if (participant != null) {
            send(new ErrorMessage(ErrorCode.ALREADY_JOINED, "this connection already joined", false));
        } else if (join.protocolVersion() != Protocol.VERSION) {
            sendAndClose(new ErrorMessage(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, "this node speaks protocol version "
                    + Protocol.VERSION + ", not " + join.protocolVersion(), true));
        } else if (check.refused() != null) {
            counters.unauthorized(remoteAddress(), check.refused());
            sendAndClose(new ErrorMessage(ErrorCode.UNAUTHORIZED, check.refused().getMessage(), true));
        } else {
            try {
                participant = calls.join(join, check.grant(), this);
            } catch (JoinRefused e) {
                sendAndClose(new ErrorMessage(e.code(), e.getMessage(), true));
            }
        }
    }

    /** Runs on the media loop. */
    private void handle(ClientMessage msg) {
        if (participant == null) {
            send(new ErrorMessage(ErrorCode.NOT_JOINED, "send join first", false));
            return;
        }
        switch (msg) {
            case PublishOffer o -> participant.onPublishOffer(o);
            case SubscribeAnswer a -> participant.onSubscribeAnswer(a);
            case SetMuted m -> participant.onSetMuted(m.source(), m.muted());
            case SetViewport v -> participant.onSetViewport(v.trackId(), v.height());
            case Leave l -> {
                Participant p = participant;
                participant = null;
                calls.kick(p, "left");
            }
            default -> { }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (websocket) {
            counters.websocketsOpen.decrement();
        }
        mediaLoop.execute(() -> {
            if (participant != null) {
                Participant p = participant;
                participant = null;
                calls.leave(p, "disconnected");
            }
        });
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            websocket = true;
            counters.websocketsOpened.increment();
            counters.websocketsOpen.increment();
        } else if (evt instanceof IdleStateEvent) {
            if (websocket) {
                sendAndClose(new Bye("timeout"));
            } else {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.INFO, "signalling connection {0} failed: {1}", remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void send(ServerMessage message) {
        Channel ch = channel;
        if (ch != null && ch.isActive() && websocket) {
            counters.messagesOut.increment();
            ch.writeAndFlush(new TextWebSocketFrame(codec.encode(message)));
        }
    }

    private void sendAndClose(ServerMessage message) {
        send(message);
        close();
    }

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null && ch.isActive() && websocket) {
            ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public String remoteAddress() {
        Channel ch = channel;
        return ch == null ? "?" : String.valueOf(ch.remoteAddress());
    }
}
