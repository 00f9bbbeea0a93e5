package io.sfufleet.console.provision.agent;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj's {@code publickey} login (RFC 4252 section 7) with one key of an agent: first ask the server
 * whether it takes the key, and only then have the agent sign the session ID and the request. One
 * method per agent key; sshj tries them in turn.
 */
public final class AgentAuthMethod extends AbstractAuthMethod {
    private final AgentClient agent;
    private final AgentIdentity key;

    public AgentAuthMethod(AgentClient agent, AgentIdentity key) {
        super("publickey");
        this.agent = agent;
        this.key = key;
    }

    public AgentIdentity key() {
        return key;
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        return request(false);
    }

    private SSHPacket request(boolean signed) throws UserAuthException {
        SSHPacket p = super.buildReq();
        p.putBoolean(signed).putString(key.signatureAlgorithm()).putString(key.blob());
        return p;
    }

    /** USERAUTH_60 here is PK_OK: the server takes this key, so it is worth a signature. */
    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd != Message.USERAUTH_60) {
            super.handle(cmd, buf);
            return;
        }
        SSHPacket req = request(true);
        // the signed data: the session ID as a string, then the request from its message byte on
        byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req)
                .getCompactData();
        byte[] signature;
        try {
            signature = agent.sign(key, data);
        } catch (AgentException e) {
            throw new UserAuthException(e.getMessage(), e);
        }
        req.putString(signature);
        params.getTransport().write(req);
    }
}
