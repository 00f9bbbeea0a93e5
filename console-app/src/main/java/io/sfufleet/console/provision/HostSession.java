package io.sfufleet.console.provision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.StreamCopier;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.xfer.FileSystemFile;
import net.schmizz.sshj.xfer.TransferListener;

/** One logged-in SSH connection to a host: commands with a deadline, SFTP uploads with progress. */
public final class HostSession implements AutoCloseable {
    private final HostEntry host;
    private final SSHClient client;
    private final HostKey hostKey;

    HostSession(HostEntry host, SSHClient client, HostKey hostKey) {
        this.host = host;
        this.client = client;
        this.hostKey = hostKey;
    }

    public HostEntry host() {
        return host;
    }

    /** The key the host presented on this connection (the pinned or the just accepted one). */
    public HostKey hostKey() {
        return hostKey;
    }

    public boolean root() {
        return "root".equals(host.user());
    }

    /** Runs a shell command; its status, whatever it is. Fails when it outlives {@code timeout}. */
    public ExecResult exec(String command, Duration timeout) {
        Session s = null;
        boolean timedOut = false;
        try {
            s = client.startSession();
            Session.Command cmd = s.exec(command);
            // Both streams drain on their own threads, so a chatty command cannot stall on a full
            // window and one that keeps its output open cannot outlive the deadline: when the
            // deadline passes the session is closed, which ends the readers.
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread errReader = Thread.ofVirtual().start(() -> drain(cmd.getErrorStream(), err));
            Thread outReader = Thread.ofVirtual().start(() -> drain(cmd.getInputStream(), out));
            boolean done = outReader.join(remaining(deadline)) && errReader.join(remaining(deadline));
            if (done) {
                cmd.join(Math.max(1, remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
            }
            Integer status = done ? cmd.getExitStatus() : null;
            if (status == null) {
                timedOut = true;
                throw new ProvisionException("`" + command + "` on " + host.name() + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            return new ExecResult(command, status, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProvisionException("the SSH connection to " + host.name() + " failed while running `"
                    + command + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
            throw new ProvisionException("interrupted while running `" + command + "` on " + host.name(), e);
        } finally {
            if (s != null) {
                endSession(s, timedOut);
            }
        }
    }

    /**
     * Closing a channel waits for the host's reply, which OpenSSH sends only once the command's
     * output is closed; a command past its deadline gets a TERM signal and is closed in the
     * background, so the caller gets its error at the deadline.
     */
    private static void endSession(Session s, boolean timedOut) {
        if (!timedOut) {
            closeQuietly(s);
            return;
        }
        Thread.ofVirtual().start(() -> {
            try {
                if (s instanceof Session.Command c) {
                    c.signal(net.schmizz.sshj.connection.channel.direct.Signal.TERM);
                }
            } catch (IOException | RuntimeException e) {
                // best effort: not every server honours signal requests
            }
            closeQuietly(s);
        });
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (IOException | RuntimeException e) {
            // the channel or the connection is already gone: nothing left to release
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /**
     * Runs a command as root: as is when logged in as root, else through {@code sudo -n} (never a
     * password prompt that would hang the job).
     */
    public ExecResult privileged(String command, Duration timeout) {
        return exec(root() ? command : "sudo -n sh -c " + Shell.quote(command), timeout);
    }

    /**
     * Starts a command and returns at once: its output is read line by line as it comes. For helpers
     * that must run while the console does something (a listener the console connects to).
     */
    public Running start(String command) {
        try {
            Session s = client.startSession();
            try {
                return new Running(command, s, s.exec(command));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ProvisionException("cannot start `" + command + "` on " + host.name() + ": " + e.getMessage(), e);
        }
    }

    /** A command started by {@link #start}; closing it closes its channel (the host gets a hangup). */
    public static final class Running implements AutoCloseable {
        private final String command;
        private final Session session;
        private final Session.Command cmd;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private volatile boolean outputEnded;

        Running(String command, Session session, Session.Command cmd) {
            this.command = command;
            this.session = session;
            this.cmd = cmd;
            Thread.ofVirtual().start(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(cmd.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // channel closed; the caller sees no more lines
                } finally {
                    outputEnded = true;
                }
            });
            Thread.ofVirtual().start(() -> drain(cmd.getErrorStream(), err));
        }

        /** The next output line, or null when none came within {@code timeout}. */
        public String nextLine(Duration timeout) throws InterruptedException {
            return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public String command() {
            return command;
        }

        /** True once the output reached its end and every line of it was taken with {@link #nextLine}. */
        public boolean finished() {
            return outputEnded && lines.isEmpty();
        }

        /** Error output so far. */
        public String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }

        /** Waits for the command to end; its status, or null if it had not ended within {@code timeout}. */
        public Integer await(Duration timeout) {
            try {
                cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                return null;
            }
            return cmd.getExitStatus();
        }

        @Override
        public void close() {
            try {
                cmd.close();
                session.close();
            } catch (IOException e) {
                // already closed by the host's side
            }
        }
    }

    /** Uploads a file over SFTP, reporting the bytes sent so far. */
    public void upload(Path local, String remote, LongConsumer progress) {
        try (SFTPClient sftp = client.newSFTPClient()) {
            sftp.getFileTransfer().setTransferListener(new TransferListener() {
                @Override
                public TransferListener directory(String name) {
                    return this;
                }

                @Override
                public StreamCopier.Listener file(String name, long size) {
                    return progress::accept;
                }
            });
            sftp.getFileTransfer().upload(new FileSystemFile(local.toFile()), remote);
        } catch (IOException e) {
            throw new ProvisionException("uploading " + local.getFileName() + " to " + host.name() + ":" + remote
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream to) {
        try {
            in.transferTo(to);
        } catch (IOException e) {
            // the channel closed under us; the exit status (or its absence) tells the caller
        }
    }

    @Override
    public void close() {
        SshConnector.closeQuietly(client);
    }
}
