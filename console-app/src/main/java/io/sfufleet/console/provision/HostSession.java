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
        try (Session s = client.startSession()) {
            Session.Command cmd = s.exec(command);
            // stderr drains on its own thread: a chatty command must not stall on a full window
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = Thread.ofVirtual().start(() -> drain(cmd.getErrorStream(), err));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            drain(cmd.getInputStream(), out);
            cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
            errReader.join(timeout.toMillis());
            Integer status = cmd.getExitStatus();
            if (status == null) {
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
            throw new ProvisionException("interrupted while running `" + command + "` on " + host.name(), e);
        }
    }

    /**
     * Runs a command as root: as is when logged in as root, else through {@code sudo -n} (never a
     * password prompt that would hang the job).
     */
    public ExecResult privileged(String command, Duration timeout) {
        return exec(root() ? command : "sudo -n sh -c " + Shell.quote(command), timeout);
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
