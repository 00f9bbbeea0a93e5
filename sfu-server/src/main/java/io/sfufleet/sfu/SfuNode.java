package io.sfufleet.sfu;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ReloadResult;
import io.sfufleet.sfu.api.AdminApi;
import io.sfufleet.sfu.api.AdminServer;
import io.sfufleet.sfu.api.ConfigReloader;
import io.sfufleet.sfu.auth.JoinAuth;
import io.sfufleet.sfu.call.CallLimits;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.call.MediaContext;
import io.sfufleet.sfu.config.ConfigSource;
import io.sfufleet.sfu.config.SfuConfig;
import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.dtls.DtlsCounters;
import io.sfufleet.sfu.dtls.DtlsSessionOptions;
import io.sfufleet.sfu.http.ClientServer;
import io.sfufleet.sfu.ice.TurnCredentials;
import io.sfufleet.sfu.metrics.NodeMetrics;
import io.sfufleet.sfu.net.AdvertisedAddress;
import io.sfufleet.sfu.net.BindFailedException;
import io.sfufleet.sfu.net.Transports;
import io.sfufleet.sfu.rtp.PacketPool;
import io.sfufleet.sfu.signal.SignallingHandler;
import io.sfufleet.sfu.stats.NodeLifecycle;
import io.sfufleet.sfu.stats.NodeSnapshot;
import io.sfufleet.sfu.stats.ProcessSampler;
import io.sfufleet.sfu.stats.ProcessStats;
import io.sfufleet.sfu.stats.Readiness;
import io.sfufleet.sfu.stats.SnapshotBuilder;
import io.sfufleet.sfu.stats.Snapshots;
import io.sfufleet.sfu.transport.DropCounters;
import io.sfufleet.sfu.transport.TcpMediaInitializer;
import io.sfufleet.sfu.transport.TcpMediaServer;
import io.sfufleet.sfu.transport.UdpMediaHandler;
import io.sfufleet.sfu.transport.UdpPacketSink;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running node: the media loop with its UDP port, the client listener and the admin API listener.
 * Wires the parts together and owns their lifecycle; holds no call logic itself.
 */
public final class SfuNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SfuNode.class.getName());
    /** What the node asks publishers to send at most, per publisher, until congestion control lands. */
    private static final long PUBLISHER_BITRATE_BPS = 2_500_000;

    private final SfuConfig config;
    private final EventLoopGroup mediaGroup;
    private final EventLoopGroup httpGroup;
    private final EventLoopGroup adminGroup;
    /** Null when media.udp_enabled is false. */
    private final Channel udpChannel;
    /** Null when media.tcp_port is 0. */
    private final TcpMediaServer tcpServer;
    private final TcpMediaInitializer tcpConnections;
    private final ClientServer clientServer;
    private final AdminServer adminServer;
    private final AdminApi admin;
    private final ConfigReloader reloader;
    private final CallManager calls;
    private final EventLoop mediaLoop;
    private final DropCounters drops;
    private final UdpMediaHandler udpHandler;
    private final SignallingHandler.Counters signalling;
    private final NodeMetrics metrics;
    private final String advertisedHost;
    private final NodeLifecycle lifecycle;
    private final Snapshots snapshots;
    private final JoinAuth joinAuth;
    private final long startedAtMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SfuNode(SfuConfig config, EventLoopGroup mediaGroup, EventLoopGroup httpGroup, EventLoopGroup adminGroup,
                    Channel udpChannel, TcpMediaServer tcpServer, TcpMediaInitializer tcpConnections,
                    ClientServer clientServer, AdminServer adminServer, AdminApi admin,
                    ConfigReloader reloader, CallManager calls, EventLoop mediaLoop, DropCounters drops,
                    UdpMediaHandler udpHandler, SignallingHandler.Counters signalling, NodeMetrics metrics,
                    String advertisedHost, NodeLifecycle lifecycle, Snapshots snapshots, JoinAuth joinAuth, long startedAtMillis) {
        this.config = config;
        this.mediaGroup = mediaGroup;
        this.httpGroup = httpGroup;
        this.adminGroup = adminGroup;
        this.udpChannel = udpChannel;
        this.tcpServer = tcpServer;
        this.tcpConnections = tcpConnections;
        this.clientServer = clientServer;
        this.adminServer = adminServer;
        this.admin = admin;
        this.reloader = reloader;
        this.calls = calls;
        this.mediaLoop = mediaLoop;
        this.drops = drops;
        this.udpHandler = udpHandler;
        this.signalling = signalling;
        this.metrics = metrics;
        this.advertisedHost = advertisedHost;
        this.lifecycle = lifecycle;
        this.snapshots = snapshots;
        this.joinAuth = joinAuth;
        this.startedAtMillis = startedAtMillis;
    }

    /** Starts a node whose configuration cannot be reread (no file): reload answers 409. */
    public static SfuNode start(SfuConfig config) throws Exception {
        return start(config, new ConfigSource(null, Map.of()));
    }

    /**
     * Starts a node that drops forwarded packets as {@code forwardLoss} says: for tests of loss
     * recovery (NACK, RTX) with real browsers, where the kernel offers no netem.
     */
    public static SfuNode start(SfuConfig config, ForwardLoss forwardLoss) throws Exception {
        return start(config, new ConfigSource(null, Map.of()), forwardLoss);
    }

    /**
     * Starts a node: media loop and UDP port, call logic, stats snapshots, client listener, admin
     * API listener, in that order; the node is {@code running} once all are up.
     *
     * @param source where {@code config} came from, read again on reload
     */
    public static SfuNode start(SfuConfig config, ConfigSource source) throws Exception {
        return start(config, source, ForwardLoss.NONE);
    }

    private static SfuNode start(SfuConfig config, ConfigSource source, ForwardLoss forwardLoss) throws Exception {
        Transports transports = Transports.detect();
        String advertised = AdvertisedAddress.resolve(config.media().iceHostOverride(), config.media().bindAddress());
        DtlsCertificate certificate = DtlsCertificate.generate();
        long startedAt = System.currentTimeMillis();

        EventLoopGroup mediaGroup = transports.newGroup(1, new DefaultThreadFactory("sfu-media", true));
        EventLoopGroup httpGroup = transports.newGroup(1, new DefaultThreadFactory("sfu-http", true));
        // One thread for the admin API: the event streams' fan-out relies on all its connections sharing it.
        EventLoopGroup adminGroup = transports.newGroup(1, new DefaultThreadFactory("sfu-admin", true));
        ConfigReloader reloader = new ConfigReloader(source, config);
        // Listeners bound so far, closed if a later step fails: shutting an event loop group down does
        // not close the sockets of its channels (a UDP port stayed bound after a failed start).
        List<AutoCloseable> bound = new ArrayList<>();
        try {
            EventLoop mediaLoop = mediaGroup.next();
            EventLoop adminLoop = adminGroup.next();
            PacketPool pool = new PacketPool(4096);
            DropCounters drops = new DropCounters();
            DtlsCounters dtlsCounters = new DtlsCounters();
            SignallingHandler.Counters signalling = new SignallingHandler.Counters();
            NodeMetrics metrics = new NodeMetrics(drops, dtlsCounters, signalling, NodeMetrics.DEFAULT_MAX_CALL_SERIES);
            UdpPacketSink sink = new UdpPacketSink();
            // The handler's maps are confined to the media loop; build it there too.
            UdpMediaHandler udp = mediaLoop.submit(() -> new UdpMediaHandler(pool, drops, sink, metrics.media())).get();

            int bufferBytes = config.media().udpSocketBufferBytes();
            Channel udpChannel = null;
            if (config.media().udpEnabled()) {
                InetSocketAddress udpAddress = new InetSocketAddress(config.media().bindAddress(),
                        config.media().udpPort());
                udpChannel = BindFailedException.binding("media UDP port", "media.udp_port", udpAddress,
                        () -> new Bootstrap()
                                .group(mediaLoop)
                                .channel(transports.datagramChannel())
                                .option(ChannelOption.SO_RCVBUF, bufferBytes)
                                .option(ChannelOption.SO_SNDBUF, bufferBytes)
                                .handler(udp)
                                .bind(udpAddress)
                                .sync().channel());
                Channel udpBound = udpChannel;
                bound.add(() -> udpBound.close().syncUninterruptibly());
                sink.attach(udpChannel);
            }
            TcpMediaInitializer tcpInit = new TcpMediaInitializer(udp, pool, drops, config.media().tcpMaxConnections());
            InetSocketAddress tcpAddress = new InetSocketAddress(config.media().bindAddress(), config.media().tcpPort());
            TcpMediaServer tcpServer = !config.media().tcpEnabled() ? null : BindFailedException.binding(
                    "media TCP port", "media.tcp_port", tcpAddress,
                    () -> TcpMediaServer.bind(transports, mediaLoop, tcpAddress, tcpInit));
            if (tcpServer != null) {
                bound.add(tcpServer::close);
            }
            int tcpPort = tcpServer == null ? 0 : tcpServer.port();
            int mediaPort = udpChannel != null ? ((InetSocketAddress) udpChannel.localAddress()).getPort() : tcpPort;

            MediaContext ctx = new MediaContext(mediaLoop, pool, drops, udp, sink, certificate, advertised, mediaPort,
                    config.node().name(), config.limits().maxCalls(), config.limits().maxParticipantsPerCall(),
                    TimeUnit.MILLISECONDS.toNanos(config.limits().keyframeMinIntervalMs()), PUBLISHER_BITRATE_BPS,
                    DtlsSessionOptions.defaults().withCounters(dtlsCounters), metrics.media(), tcpPort,
                    udpChannel != null, forwardLoss, new TurnCredentials(config.media().turnUrls(),
                            config.media().turnSecret(), config.media().turnCredentialTtlSeconds()),
                    config.media().videoCodecs());
            CallManager calls = new CallManager(ctx);
            calls.setLimits(callLimits(config));
            metrics.attach(calls);
            calls.start();

            // Stats: process readings on the admin loop (file I/O), snapshots on the media loop.
            NodeLifecycle lifecycle = new NodeLifecycle();
            Readiness readiness = new Readiness(config.limits().overloadCpuPercent());
            ProcessSampler process = new ProcessSampler(new ProcessStats());
            process.run();
            adminLoop.scheduleAtFixedRate(process, 1, 1, TimeUnit.SECONDS);
            SnapshotBuilder builder = new SnapshotBuilder(
                    new SnapshotBuilder.Identity(config.node().name(), Version.get(), startedAt, mediaPort, advertised),
                    calls, new SnapshotBuilder.MediaCounters(udp::packetsIn, udp::bytesIn,
                            () -> sink.packetsOut() + tcpInit.counters().packetsOut(),
                            () -> sink.bytesOut() + tcpInit.counters().bytesOut()),
                    lifecycle, process::latest, readiness);
            Snapshots snapshots = mediaLoop.submit(() -> new Snapshots(builder)).get();

            SslContext ssl = null;
            if (config.http().tlsEnabled()) {
                ssl = SslContextBuilder.forServer(new File(config.http().tlsCertFile()),
                        new File(config.http().tlsKeyFile())).build();
            }
            JoinAuth joinAuth = new JoinAuth(config.auth().joinTokenSecret(), config.auth().devTokens(),
                    Clock.systemUTC());
            InetSocketAddress httpAddress = new InetSocketAddress(config.http().listenAddress(), config.http().port());
            SslContext clientSsl = ssl;
            ClientServer clientServer = BindFailedException.binding("client HTTP port", "http.port", httpAddress,
                    () -> ClientServer.bind(transports, httpGroup, httpAddress, clientSsl, calls, mediaLoop,
                            config.http().maxMessageBytes(), config.limits().wsIdleTimeoutSeconds(), signalling,
                            joinAuth));
            bound.add(clientServer);

            AdminApi admin = new AdminApi(new AdminApi.Parts(snapshots, lifecycle, readiness, process, calls, mediaLoop,
                    adminLoop, reloader, metrics::writeTo), config.api(), config.node().name());
            mediaLoop.submit(() -> {
                calls.addListener(lifecycle);
                calls.addListener(admin.callEvents());
                calls.addTickListener(snapshots::onTick);
                snapshots.addTickListener(admin.snapshotListener());
            }).get();
            lifecycle.addListener(admin.lifecycleListener());
            // sfu_ready answers as /readyz does at the moment of the scrape, not as of the last snapshot.
            metrics.exposeReadiness(() -> {
                var latest = snapshots.latest();
                return readiness.evaluate(lifecycle.state(), latest.calls().size(),
                        latest.node().capacity().maxCalls(), process.latest()).status() == HealthStatus.ok;
            });
            // What a reload puts in force at once (ConfigKey.Reload.HOT).
            reloader.onApply(next -> admin.apply(next.api()));
            reloader.onApply(next -> joinAuth.reconfigure(next.auth().joinTokenSecret(), next.auth().devTokens()));
            reloader.onApply(next -> readiness.setOverloadCpuPercent(next.limits().overloadCpuPercent()));
            reloader.onApply(next -> clientServer.setIdleTimeoutSeconds(next.limits().wsIdleTimeoutSeconds()));
            reloader.onApply(next -> mediaLoop.submit(() -> {
                calls.setLimits(callLimits(next));
                snapshots.refresh();
            }).syncUninterruptibly());

            SslContext apiSsl = null;
            if (config.api().tlsEnabled()) {
                apiSsl = SslContextBuilder.forServer(new File(config.api().tlsCertFile()),
                        new File(config.api().tlsKeyFile())).build();
            }
            InetSocketAddress apiAddress = new InetSocketAddress(config.api().listenAddress(), config.api().port());
            SslContext adminSsl = apiSsl;
            AdminServer adminServer = BindFailedException.binding("admin API port", "api.port", apiAddress,
                    () -> AdminServer.bind(transports, adminGroup, apiAddress, adminSsl, admin));
            bound.add(adminServer);

            SfuNode node = new SfuNode(config, mediaGroup, httpGroup, adminGroup, udpChannel, tcpServer, tcpInit, clientServer, adminServer,
                    admin, reloader, calls, mediaLoop, drops, udp, signalling, metrics, advertised, lifecycle, snapshots,
                    joinAuth, startedAt);
            lifecycle.running();
            LOG.log(System.Logger.Level.INFO, "node {0} up: media {1} udp {2} tcp {9} advertised as {3} ({4}),"
                            + " client listener {5}, admin API {6}://{7}:{8}", config.node().name(),
                    config.media().bindAddress(), udpChannel == null ? "off" : Integer.toString(mediaPort), advertised, transports.name(), node.clientUrl(),
                    apiSsl == null ? "http" : "https", config.api().listenAddress(), Integer.toString(adminServer.port()),
                    tcpPort == 0 ? "off" : Integer.toString(tcpPort));
            if (config.auth().devTokens()) {
                LOG.log(System.Logger.Level.WARNING, "auth.dev_tokens is on: {0}dev/token gives a join token for any"
                        + " call to whoever reaches the client listener. Turn it off outside demos and tests.",
                        node.clientUrl());
            }
            if (config.auth().joinTokenSecret().isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "auth.join_token_secret is empty: join tokens are checked against a"
                        + " random secret made at this start; only this node's dev endpoint can mint them");
            }
            return node;
        } catch (Exception | Error e) {
            for (AutoCloseable listener : bound.reversed()) {
                try {
                    listener.close();
                } catch (Exception | Error closing) {
                    e.addSuppressed(closing);
                }
            }
            reloader.close();
            mediaGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            httpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            adminGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static CallLimits callLimits(SfuConfig c) {
        return new CallLimits(c.limits().maxCalls(), c.limits().maxParticipantsPerCall(),
                TimeUnit.MILLISECONDS.toNanos(c.limits().keyframeMinIntervalMs()),
                TimeUnit.SECONDS.toNanos(c.limits().consentTimeoutSeconds()), c.limits().maxAudioStreams(),
                c.limits().maxVideoStreams());
    }

    /** Runs {@code task} on the media loop and waits for it: how other threads read call state. */
    public <T> T onMediaLoop(Callable<T> task) throws InterruptedException {
        try {
            return mediaLoop.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("media loop task failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("media loop did not answer in 10 s", e);
        }
    }

    public SfuConfig config() {
        return config;
    }

    public CallManager calls() {
        return calls;
    }

    public DropCounters drops() {
        return drops;
    }

    public SignallingHandler.Counters signalling() {
        return signalling;
    }

    /** The node's Prometheus metrics, which the admin API serves at {@code GET /metrics}. */
    public NodeMetrics metrics() {
        return metrics;
    }

    public UdpMediaHandler udp() {
        return udpHandler;
    }

    public int httpPort() {
        return clientServer.port();
    }

    /** The port of the admin API listener. */
    public int adminPort() {
        return adminServer.port();
    }

    public AdminApi admin() {
        return admin;
    }

    /** Starting, running, draining or stopping; any thread. */
    public NodeState state() {
        return lifecycle.state();
    }

    /** The latest stats snapshot (at most a second old); any thread. */
    public NodeSnapshot snapshot() {
        return snapshots.latest();
    }

    /** Rereads the configuration and applies what can change while running (the reload route, SIGHUP). */
    public CompletableFuture<ReloadResult> reload() {
        return reloader.reload();
    }

    /** The UDP media port; the ICE-TCP port when UDP is off. */
    public int mediaPort() {
        return udpChannel != null ? ((InetSocketAddress) udpChannel.localAddress()).getPort() : tcpServer.port();
    }

    /**
     * Closes every ICE-TCP connection now; their clients notice and restart ICE. Used at shutdown
     * and by tests as a network change.
     */
    public void closeIceTcpConnections() throws InterruptedException {
        onMediaLoop(() -> {
            tcpConnections.closeAll();
            return null;
        });
    }

    /** The ICE-TCP port, 0 when off. */
    public int tcpPort() {
        return tcpServer == null ? 0 : tcpServer.port();
    }

    public String advertisedHost() {
        return advertisedHost;
    }

    /** The join-token policy: verifies tokens, mints dev tokens, takes reloaded auth settings. */
    public JoinAuth joinAuth() {
        return joinAuth;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** The URL of the built-in browser client, as people on the node's network reach it. */
    public String clientUrl() {
        String scheme = !config.http().tlsEnabled() ? "http" : "https";
        String host = config.http().listenAddress();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = advertisedHost;
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + ":" + httpPort() + "/";
    }

    /**
     * Stops the node: {@code stopping} (readiness fails, event streams are told), every participant
     * gets bye "nodeShuttingDown", then the client listener, the event streams (1001), the admin
     * listener and the media port close.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lifecycle.stopping();
        try {
            onMediaLoop(() -> {
                for (var call : java.util.List.copyOf(calls.calls())) {
                    for (var p : java.util.List.copyOf(call.participants())) {
                        calls.kick(p, "nodeShuttingDown");
                    }
                }
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ending calls at shutdown failed: {0}", e.toString());
        }
        clientServer.close();
        admin.closeEventStreams().awaitUninterruptibly(2, TimeUnit.SECONDS);
        adminServer.close();
        reloader.close();
        if (udpChannel != null) {
            udpChannel.close().syncUninterruptibly();
        }
        if (tcpServer != null) {
            tcpServer.close();
            try {
                closeIceTcpConnections();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing ICE-TCP connections at shutdown failed: {0}", e.toString());
            }
        }
        httpGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        mediaGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
