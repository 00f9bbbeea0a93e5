/*
 * sfu-fleet built-in browser client (signalling protocol version 1, see
 * shared-model/docs/signalling.md). Plain modern JavaScript: no build step, no external URLs.
 *
 * Two RTCPeerConnections per participant, with the TURN servers the node hands out in `joined`
 * (none unless it is configured with them; the node itself is ICE-lite with host candidates):
 *   publish   - this client offers: sendonly transceivers for microphone and camera, plus one
 *               for the screen while a share is on (renegotiated on start and stop);
 *   subscribe - the node offers (subscribeOffer, with a revision), this client answers.
 *
 * URL parameters
 *   call=NAME&name=DISPLAY  fill in the join form
 *   autojoin=1              join at once with camera and microphone (needs call and name)
 *   token=JWT               the join token from your meeting app. Without it the client asks the
 *                           node's dev endpoint (GET /dev/token?call=..&name=..), which answers only
 *                           on nodes with auth.dev_tokens = true; otherwise the page says that a
 *                           token is needed. The token's perms decide which sources are offered.
 *   camera=0                join with the microphone only (no camera)
 *   simulcast=0             send the camera as one stream (default: three simulcast layers, rids
 *                           q/h/f at 1/4, 1/2 and full resolution, so the node can give each
 *                           receiver the layer its bandwidth and tile size call for)
 *   codec=vp9 | codec=av1   send the camera in this codec as one scalable (SVC) stream instead of
 *                           simulcast VP8, where the browser can and the node accepts it (default:
 *                           the first of the node's media.video_codecs the browser can send); the
 *                           node forwards each receiver the spatial and temporal layers its
 *                           bandwidth and tile size call for. codec=vp8 or codec=h264 also work
 *   svc=MODE                the scalability mode with codec= (default L3T3_KEY; e.g. L2T3, L1T3)
 *   relay=1                 use only relayed candidates (iceTransportPolicy 'relay'): media goes through
 *                           the TURN servers the node names in `joined`
 *   fakescreen=1            screen share sends a generated canvas (captureStream) instead of
 *                           calling getDisplayMedia; for machines without a screen to capture
 *   ws=URL                  signalling WebSocket; default ws(s)://<this host>/ws
 *   e2eesamples=1           (tests) the E2EE worker reports the plaintext frames it encrypts;
 *                           the page keeps the latest (sfu.e2ee().samples)
 *   e2eeapi=streams         (tests) use createEncodedStreams even where RTCRtpScriptTransform exists
 *
 * URL fragment (never sent to any server: browsers keep the part after '#' to themselves)
 *   #e2ee=KEY               end-to-end encryption of all media with a secret the participants
 *                           share out of band: KEY is at least 16 bytes, base64url. Every outgoing
 *                           frame is AES-GCM encrypted in e2ee-worker.js before it reaches the
 *                           node, which forwards what it cannot read; frames that do not decrypt
 *                           are dropped and counted. See signalling.md, "End-to-end encryption".
 *
 * Automation API: window.sfu (used by the end-to-end browser tests; keep it stable)
 *   sfu.state            'idle' | 'joining' | 'joined' | 'left' | 'error'
 *   sfu.participantId    this participant's id from `joined`, or null
 *   sfu.lastError        {code, message, fatal} of the last error shown, or null
 *   sfu.join(callId, name)       -> Promise; joins with camera and microphone (as the form does)
 *   sfu.remoteTracks()   -> [{participantId, trackId, kind, source, muted, readyState, active}]
 *                        the tracks received now: an active m-section of the subscribe connection
 *                        that the node has not unpublished. `muted` is what the publisher
 *                        signalled (setMuted/trackMuted); `readyState` is the receiving
 *                        MediaStreamTrack's; `active` is true while that track is not muted by the
 *                        browser, i.e. media is arriving.
 *   sfu.stats()          -> Promise<{inbound, outbound, publishState, subscribeState}> from
 *                        RTCPeerConnection.getStats():
 *                          inbound:  [{participantId, trackId, kind, bytesReceived, packetsReceived,
 *                                      framesDecoded, totalSamplesReceived, nackCount,
 *                                      retransmittedPacketsReceived, frameWidth, frameHeight,
 *                                      codec}] per remoteTracks() entry (codec: its mime type)
 *                          outbound: [{source, kind, bytesSent, packetsSent}] per published source
 *                          publishState / subscribeState: RTCPeerConnection.connectionState, or
 *                          'none' when that connection does not exist
 *                          publishPath / subscribePath: the selected candidate pair's node side,
 *                          {protocol: 'udp' | 'tcp', candidateType, port, localCandidateType ('host',
 *                          'relay' through TURN, ...)}, or null before one is selected
 *   sfu.participants()   -> [{participantId, name}] the others in the call
 *   sfu.localSources()   -> [{source, muted}] what this client publishes, and whether it is muted
 *                        (by the user, or by the moderator: an admin mute arrives as trackMuted
 *                        about this participant and mutes the source here)
 *   sfu.setMuted(source, muted)  -> Promise; source 'microphone' | 'camera' | 'screen'
 *   sfu.setCamera(on)            -> Promise; same as setMuted('camera', !on)
 *   sfu.startScreenShare()       -> Promise; resolves when the node has answered the new offer
 *   sfu.stopScreenShare()        -> Promise; likewise
 *   sfu.leave()                  sends `leave`, stops local media, state becomes 'left'
 *   sfu.restartIce()             -> Promise; what the client does by itself when either connection's
 *                        iceConnectionState turns 'failed', or stays 'disconnected' for 3 s: an ICE restart on the
 *                        publish connection (new ufrag/pwd in a publishOffer); the node then restarts
 *                        the subscribe connection too with a new subscribeOffer
 *   sfu.iceRestarts      how many ICE restarts this session started
 *   sfu.dominantSpeaker  participantId of the loudest speaker (the node's dominantSpeaker), or null
 *   sfu.logs()           -> [string] the client's recent log lines, oldest first
 *   sfu.e2ee()           -> {enabled, ready, keyId, framesEncrypted, framesDecrypted, audioDecrypted,
 *                        videoDecrypted, decryptFailures, unknownKeyFrames, unsupportedFrames,
 *                        samples: [{kind, clearHeader, plaintext}] (base64; only with e2eesamples=1: the
 *                        latest frames encrypted, at most 48)}
 */
(() => {
  'use strict';

  const PROTOCOL_VERSION = 1;
  const CLIENT_NAME = 'sfu-fleet-web/0.1';
  const PING_INTERVAL_MS = 10000;
  /** How often the sizes of received videos are checked and, when changed, sent (setViewport). */
  const VIEWPORT_INTERVAL_MS = 1000;
  const ANSWER_TIMEOUT_MS = 15000;
  /** How long ICE may stay 'disconnected' before the client restarts it. */
  const DISCONNECTED_GRACE_MS = 3000;
  const MAX_LOG_LINES = 400;
  const SOURCES = ['microphone', 'camera', 'screen'];

  const ERROR_TEXT = {
    NODE_DRAINING: 'This node is not taking new calls. Join through another node.',
    NODE_FULL: 'This node is full. Join through another node.',
    CALL_FULL: 'This call is full.',
    UNSUPPORTED_PROTOCOL_VERSION: 'This page and the node speak different protocol versions. Reload the page.',
    MESSAGE_TOO_LARGE: 'A message was too large for the node.',
    SDP_REJECTED: 'The node could not use this browser\'s media description.',
    DISCONNECTED: 'The connection to the node was lost.',
    UNAUTHORIZED: 'The node did not accept the join token.',
    FORBIDDEN: 'Your join token does not allow that.',
    TOKEN_REQUIRED: 'This node needs a join token from your meeting app.',
    MEDIA_FAILED: 'The media connection to the node failed.',
  };

  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------------------
  // Logging: console plus a ring buffer the tests can read through sfu.logs().

  const logLines = [];
  /**
   * The camera's codec: the link's codec= if the node accepts it, else the first of the node's
   * codecs (joined.videoCodecs, media.video_codecs) this browser can send. VP8 gives null: the
   * camera goes as three simulcast layers, with every codec offered as before. VP9 and AV1 give the
   * codec list that makes the offer carry that codec alone (with its RTX) and the scalability mode
   * (svc=..., default L3T3_KEY: three spatial and three temporal layers, upper spatial layers
   * predicted from lower ones only at keyframes, as Chrome's own conferencing mode); H264 the same
   * with no layers.
   */
  function cameraCodec(nodeCodecs) {
    if (typeof RTCRtpSender === 'undefined' || !RTCRtpSender.getCapabilities) return null;
    const caps = RTCRtpSender.getCapabilities('video').codecs;
    const mimes = { vp8: 'video/vp8', vp9: 'video/vp9', av1: 'video/av1', h264: 'video/h264' };
    const usable = (c, name) => c.mimeType.toLowerCase() === mimes[name]
        && (name === 'h264' ? /packetization-mode=1/.test(c.sdpFmtpLine || '')
          : profileZero(c));
    let accepted = nodeCodecs.length > 0 ? nodeCodecs : ['vp8'];
    if (e2ee) {
      // The E2EE transform leaves only VP8's and VP9's frames packetizable (e2ee-worker.js).
      accepted = accepted.filter((n) => E2EE_VIDEO.includes(n));
      if (accepted.length === 0) log('none of the node\'s video codecs can be end-to-end encrypted');
    }
    const asked = (params.get('codec') || '').toLowerCase();
    let order = accepted;
    if (asked) {
      if (accepted.includes(asked)) order = [asked].concat(accepted.filter((n) => n !== asked));
      else log('codec', asked, 'is not accepted by this node; it takes', accepted.join(', '));
    }
    for (const name of order) {
      if (!mimes[name]) continue;
      const chosen = caps.filter((c) => usable(c, name));
      if (chosen.length === 0) {
        log('codec', name, 'cannot be sent by this browser');
        continue;
      }
      if (name === 'vp8') return e2ee ? { name, codecs: e2eeVideoCodecs(), mode: null, simulcast: true } : null;
      const rtx = caps.filter((c) => c.mimeType.toLowerCase() === 'video/rtx');
      const layered = name === 'vp9' || name === 'av1';
      return { name, codecs: chosen.slice(0, 1).concat(rtx), mode: layered ? (params.get('svc') || 'L3T3_KEY') : null };
    }
    return null;
  }

  /** VP9's profile-id or AV1's profile is 0 or absent: what every browser decodes. */
  function profileZero(codec) {
    return !/profile(-id)?=[1-9]/.test(codec.sdpFmtpLine || '');
  }

  /** Video codecs whose frames the E2EE transform can encrypt and still be packetized. */
  const E2EE_VIDEO = ['vp8', 'vp9'];

  /**
   * With E2EE, the codec list of a video transceiver: VP8 and VP9 with their RTX, so the node
   * cannot pick AV1 or H264, whose packetizers read the (encrypted) frame.
   */
  function e2eeVideoCodecs() {
    return RTCRtpSender.getCapabilities('video').codecs.filter((c) => {
      const m = c.mimeType.toLowerCase();
      return m === 'video/vp8' || m === 'video/rtx' || (m === 'video/vp9' && profileZero(c));
    });
  }

  function log(...parts) {
    const text = parts.map((p) => (p instanceof Error ? `${p.name}: ${p.message}`
      : typeof p === 'object' ? safeJson(p) : String(p))).join(' ');
    const line = `${new Date().toISOString().slice(11, 23)} ${text}`;
    logLines.push(line);
    if (logLines.length > MAX_LOG_LINES) logLines.shift();
    console.log('[sfu]', text);
  }
  function safeJson(o) {
    try { return JSON.stringify(o); } catch (e) { return String(o); }
  }

  // ---------------------------------------------------------------------------------------------
  // SDP: just enough parsing to map m-sections to msid, kind and direction.

  function parseSections(sdp) {
    const sections = [];
    let cur = null;
    for (const line of sdp.split(/\r?\n/)) {
      if (line.startsWith('m=')) {
        const [kind, port] = line.slice(2).split(' ');
        cur = { kind, port: Number(port), mid: null, streamId: null, trackId: null, direction: 'sendrecv' };
        sections.push(cur);
      } else if (cur) {
        if (line.startsWith('a=mid:')) cur.mid = line.slice(6).trim();
        else if (line.startsWith('a=msid:')) {
          const [streamId, trackId] = line.slice(7).trim().split(/\s+/);
          cur.streamId = streamId;
          cur.trackId = trackId || null;
        } else if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line.trim())) {
          cur.direction = line.trim().slice(2);
        }
      }
    }
    return sections;
  }

  function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  // ---------------------------------------------------------------------------------------------
  // Local media

  async function getLocalMedia(wantAudio, wantVideo) {
    const video = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };
    const attempts = [{ audio: wantAudio, video: wantVideo && video }, { audio: wantAudio }, { video: wantVideo && video }]
      .filter((c) => c.audio || c.video);
    let lastError = null;
    for (const constraints of attempts) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints);
      } catch (e) {
        lastError = e;
        log('getUserMedia', safeJson(Object.keys(constraints)), 'failed:', e);
      }
    }
    log('joining without camera and microphone:', lastError);
    return new MediaStream();
  }

  /** A generated "screen" for machines that have none to capture (?fakescreen=1). */
  function fakeScreenStream() {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const g = canvas.getContext('2d');
    const started = performance.now();
    const draw = () => {
      const t = (performance.now() - started) / 1000;
      g.fillStyle = '#1d2a3a';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#3d7be0';
      g.fillRect(((t * 200) % (canvas.width + 200)) - 200, 300, 200, 120);
      g.fillStyle = '#ffffff';
      g.font = '48px sans-serif';
      g.fillText(`shared screen ${t.toFixed(1)} s`, 60, 120);
    };
    draw();
    const timer = setInterval(draw, 66);
    const stream = canvas.captureStream(15);
    const track = stream.getVideoTracks()[0];
    const stop = track.stop.bind(track);
    track.stop = () => { clearInterval(timer); stop(); };
    return stream;
  }

  // ---------------------------------------------------------------------------------------------
  // Join tokens

  /**
   * The join token: the URL's token=, else one from the node's dev endpoint. Resolves to
   * {token} or {error: {code, message}}.
   */
  async function obtainToken(callId, name) {
    const fromUrl = params.get('token');
    if (fromUrl) return { token: fromUrl };
    const url = `/dev/token?call=${encodeURIComponent(callId)}&name=${encodeURIComponent(name)}`;
    let res;
    try {
      res = await fetch(url, { cache: 'no-store' });
    } catch (e) {
      return { error: { code: 'DISCONNECTED', message: `Could not reach the node for a join token: ${e.message}` } };
    }
    if (res.status === 404) {
      return { error: { code: 'TOKEN_REQUIRED', message: `${ERROR_TEXT.TOKEN_REQUIRED} Open the link it gives you (it ends in ?token=...).` } };
    }
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok || !body || typeof body.token !== 'string') {
      return { error: { code: 'TOKEN_REQUIRED', message: `Could not get a join token from this node (HTTP ${res.status}${body && body.error ? `: ${body.error}` : ''}).` } };
    }
    log('using a join token from the node\'s dev endpoint');
    return { token: body.token };
  }

  /** The token's claims, read without checking the signature (the node does that): for the UI only. */
  function tokenClaims(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const padded = part + '='.repeat((4 - (part.length % 4)) % 4);
      const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return claims && typeof claims === 'object' ? claims : null;
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One join of one call. A new Session is made for every join; the page can join again after
  // leaving.

  class Session {
    constructor(ui, callId, name) {
      this.ui = ui;
      this.callId = callId;
      this.name = name;
      this.state = 'idle';
      this.participantId = null;
      this.lastError = null;
      this.nodeName = null;
      this.ws = null;
      this.pubPc = null;
      this.subPc = null;
      this.localStream = null;
      /** source -> {transceiver, track, stream, muted} */
      this.pub = {};
      this.pubQueue = Promise.resolve();
      this.pubPending = null;
      this.inbox = Promise.resolve();
      /** participantId -> {participantId, name} */
      this.participants = new Map();
      /** trackId -> {trackId, participantId, kind, source, muted} from the node's messages */
      this.tracks = new Map();
      /** trackIds the node unpublished; never shown again (m-sections are not reused) */
      this.gone = new Set();
      /** mid -> parsed m-section of the current subscribe offer */
      this.subSections = new Map();
      this.pingTimer = null;
      this.pingNonce = 0;
      this.leaving = false;
      this.opened = false;
      this.ended = false;
      this.token = null;
      /** the token's perms, or null when they cannot be read (then everything is tried) */
      this.perms = null;
      /** sources the node answered inactive in the last publishAnswer: dropped on FORBIDDEN */
      this.refusedSources = [];
      this.iceRestarts = 0;
      /** RTCIceServer entries from `joined` (TURN with credentials), [] when the node has none */
      this.iceServers = [];
      this.videoCodecs = [];
      /** participantId of the call's loudest speaker as the node last said, or null */
      this.dominantSpeaker = null;
      /** the ICE restart under way, or null */
      this.iceRestarting = null;
    }

    /**
     * After a network change the old candidate pair is dead: restart ICE (RFC 8445 section 2.4)
     * rather than end the call. A new publish offer carries new credentials; the node answers with
     * its own new ones and re-offers the subscribe connection the same way. One at a time.
     */
    restartIce(why) {
      if (this.ended || !this.pubPc) return Promise.resolve();
      if (this.iceRestarting) return this.iceRestarting;
      this.iceRestarts += 1;
      log('ICE restart:', why);
      this.pubPc.restartIce();
      this.iceRestarting = this.negotiatePublish()
        .catch((e) => log('ICE restart failed:', e.message))
        .finally(() => { this.iceRestarting = null; });
      return this.iceRestarting;
    }

    /**
     * 'failed' restarts ICE at once. 'disconnected' is often a passing hiccup (a busy machine, a
     * few lost checks) that the browser gets over by itself, and a restart costs both connections
     * a new path: restart only if it still holds after DISCONNECTED_GRACE_MS.
     */
    watchIce(pc, which) {
      pc.oniceconnectionstatechange = () => {
        const state = pc.iceConnectionState;
        log(which, 'ICE', state);
        if (this.ended) return;
        if (state === 'failed') this.restartIce(`${which} failed`);
        if (state === 'disconnected') {
          setTimeout(() => {
            if (!this.ended && pc.iceConnectionState === 'disconnected') this.restartIce(`${which} disconnected`);
          }, DISCONNECTED_GRACE_MS);
        }
      };
    }

    /** Whether the join token allows `perm` ("publish:audio", ...), as far as this page can tell. */
    may(perm) {
      return this.perms === null || this.perms.includes(perm);
    }

    setState(state) {
      if (this.state === state) return;
      log('state', this.state, '->', state);
      this.state = state;
      this.ui.onState(this);
    }

    fail(code, message, fatal = true) {
      this.lastError = { code, message, fatal };
      log('error', code, message, fatal ? '(fatal)' : '');
      this.ui.showError(this.lastError);
      if (fatal) this.end('error');
    }

    async start() {
      this.setState('joining');
      const got = await obtainToken(this.callId, this.name);
      if (this.ended) return;
      if (got.error) {
        this.fail(got.error.code, got.error.message);
        return;
      }
      this.token = got.token;
      const claims = tokenClaims(got.token);
      this.perms = claims && Array.isArray(claims.perms) ? claims.perms.filter((p) => typeof p === 'string') : null;
      this.localStream = await getLocalMedia(this.may('publish:audio'),
        this.may('publish:video') && params.get('camera') !== '0');
      if (this.ended) return;
      this.ui.renderAll(this);
      const url = params.get('ws')
        || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
      log('connecting to', url);
      const ws = new WebSocket(url);
      this.ws = ws;
      ws.onopen = () => {
        if (this.ended) {
          ws.close(1000, 'left');
          return;
        }
        this.opened = true;
        this.send({
          type: 'join', protocolVersion: PROTOCOL_VERSION, callId: this.callId, name: this.name, client: CLIENT_NAME, token: this.token,
        });
        this.pingTimer = setInterval(() => this.send({ type: 'ping', nonce: ++this.pingNonce }), PING_INTERVAL_MS);
        this.viewportTimer = setInterval(() => this.reportViewports(), VIEWPORT_INTERVAL_MS);
      };
      ws.onmessage = (ev) => {
        let msg;
        try {
          msg = JSON.parse(ev.data);
        } catch (e) {
          log('ignoring a frame that is not JSON:', String(ev.data).slice(0, 200));
          return;
        }
        if (!msg || typeof msg !== 'object') return;
        // One message at a time, in order: SDP handling is asynchronous.
        this.inbox = this.inbox.then(() => this.handle(msg)).catch((e) => log('handling', msg.type, 'failed:', e));
      };
      ws.onerror = () => log('websocket error');
      ws.onclose = (ev) => {
        log('websocket closed', ev.code, ev.reason || '');
        if (this.ended || this.leaving) {
          this.end(this.state === 'error' ? 'error' : 'left');
        } else {
          this.fail('DISCONNECTED', this.opened ? `${ERROR_TEXT.DISCONNECTED} (WebSocket close code ${ev.code})`
            : `Could not connect to the node at ${url}.`);
        }
      };
    }

    send(msg) {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) {
        if (msg.type !== 'ping') {
          log('->', msg.type, msg.type.endsWith('Offer') || msg.type.endsWith('Answer') ? `(revision ${msg.revision ?? '-'})`
            : safeJson(msg.token ? { ...msg, token: '(not logged)' } : msg));
        }
        this.ws.send(JSON.stringify(msg));
      }
    }

    async handle(msg) {
      if (this.ended) return;
      if (msg.type !== 'pong') {
        log('<-', msg.type, /Offer|Answer/.test(msg.type) ? `(revision ${msg.revision ?? '-'})` : safeJson(msg));
      }
      switch (msg.type) {
        case 'joined': return this.onJoined(msg);
        case 'publishAnswer': return this.onPublishAnswer(msg);
        case 'subscribeOffer': return this.onSubscribeOffer(msg);
        case 'participantJoined': return this.addParticipant(msg.participant);
        case 'participantLeft': return this.removeParticipant(msg.participantId);
        case 'trackPublished': return this.addTrack(msg.track);
        case 'trackUnpublished': return this.removeTrack(msg.trackId);
        case 'trackMuted': return this.onTrackMuted(msg);
        case 'error': return this.onError(msg);
        case 'bye': return this.onBye(msg);
        case 'pong': return undefined;
        case 'dominantSpeaker': return this.onDominantSpeaker(msg.participantId);
        default:
          log('ignoring unknown message type', msg.type);
          return undefined;
      }
    }

    /** The node's loudest speaker: its tile gets the speaking outline. */
    onDominantSpeaker(participantId) {
      this.dominantSpeaker = participantId;
      for (const el of document.querySelectorAll('.tile')) {
        el.classList.toggle('speaking', el.dataset.participantId === participantId);
      }
    }

    /**
     * Both connections' configuration: the TURN servers the node handed out in `joined` (with
     * credentials minted for this participant), and with ?relay=1 only relayed candidates.
     */
    pcConfig() {
      return {
        iceServers: this.iceServers,
        iceTransportPolicy: params.get('relay') === '1' ? 'relay' : 'all',
        bundlePolicy: 'max-bundle',
        rtcpMuxPolicy: 'require',
        ...(e2ee ? e2ee.pcConfigExtras() : {}),
      };
    }

    onJoined(msg) {
      this.participantId = msg.participantId;
      this.nodeName = msg.nodeName || null;
      this.iceServers = Array.isArray(msg.iceServers) ? msg.iceServers : [];
      this.videoCodecs = Array.isArray(msg.videoCodecs) ? msg.videoCodecs : [];
      for (const p of msg.participants || []) this.addParticipant(p, false);
      this.setState('joined');
      this.ui.renderAll(this);
      this.createPublishConnection();
      // Not awaited here: the answer arrives through the inbox this call is running in.
      this.negotiatePublish().catch((e) => log('first publish negotiation failed:', e));
    }

    addParticipant(p, render = true) {
      if (!p || !p.participantId || p.participantId === this.participantId) return;
      this.participants.set(p.participantId, { participantId: p.participantId, name: p.name || p.participantId });
      for (const t of p.tracks || []) this.addTrack(t, false);
      if (render) this.ui.renderAll(this);
    }

    removeParticipant(participantId) {
      this.participants.delete(participantId);
      for (const [trackId, t] of this.tracks) {
        if (t.participantId === participantId) {
          this.tracks.delete(trackId);
          this.gone.add(trackId);
        }
      }
      this.ui.renderAll(this);
    }

    addTrack(t, render = true) {
      if (!t || !t.trackId || this.gone.has(t.trackId)) return;
      this.tracks.set(t.trackId, {
        trackId: t.trackId, participantId: t.participantId, kind: t.kind, source: t.source, muted: !!t.muted,
      });
      if (render) this.ui.renderAll(this);
    }

    removeTrack(trackId) {
      this.tracks.delete(trackId);
      this.gone.add(trackId);
      this.ui.renderAll(this);
    }

    onTrackMuted(msg) {
      if (msg.participantId && msg.participantId === this.participantId) return this.onMutedByModerator(msg);
      const t = this.tracks.get(msg.trackId);
      if (t) t.muted = !!msg.muted;
      this.ui.renderAll(this);
    }

    /** The node tells us about our own track only when an admin muted it: mute it here too. */
    async onMutedByModerator(msg) {
      if (!msg.muted) return;
      const source = msg.source;
      const s = source && this.pub[source];
      if (!s) {
        log('muted by the moderator, but no local source matches', safeJson(msg));
        this.ui.showNotice('You were muted by the moderator.');
        return;
      }
      // Not sent back as setMuted: the node already knows, and unmuting lifts it as usual.
      await this.applyMute(source, true);
      const what = { microphone: 'microphone', camera: 'camera', screen: 'screen share' }[source] || source;
      this.ui.showNotice(`Your ${what} was muted by the moderator. Unmute it when you are asked to speak.`);
    }

    onError(msg) {
      const code = msg.code || 'UNKNOWN';
      const text = ERROR_TEXT[code] || msg.message || code;
      const detail = msg.message && ERROR_TEXT[code] ? `${text} (${msg.message})` : text;
      if (code === 'SDP_REJECTED' && this.pubPending) {
        this.pubPending.reject(new Error(`SDP_REJECTED: ${msg.message || ''}`));
      }
      if (code === 'FORBIDDEN') {
        // The publishAnswer before it answered those m-sections inactive: stop offering them.
        for (const source of this.refusedSources) this.dropSource(source);
        this.refusedSources = [];
      }
      if (code === 'STALE_REVISION') {
        log('node says the subscribe answer was stale:', msg.message);
        return;
      }
      this.fail(code, detail, !!msg.fatal);
    }

    onBye(msg) {
      const reason = msg.reason || 'left';
      if (reason !== 'left') {
        this.ui.showNotice(reason === 'nodeShuttingDown' ? 'The node is shutting down; the call ended.'
          : `The session ended (${reason}).`);
      }
      this.end('left');
    }

    // --- publish connection ------------------------------------------------------------------

    createPublishConnection() {
      const pc = new RTCPeerConnection(this.pcConfig());
      this.pubPc = pc;
      this.watchIce(pc, 'publish');
      pc.onconnectionstatechange = () => {
        log('publish connection', pc.connectionState);
        this.ui.onState(this);
        if (pc.connectionState === 'failed' && !this.ended) {
          this.fail('MEDIA_FAILED', `${ERROR_TEXT.MEDIA_FAILED} (publish)`, false);
        }
      };
      const stream = this.localStream;
      for (const track of stream.getTracks()) {
        const source = track.kind === 'audio' ? 'microphone' : 'camera';
        if (this.pub[source]) continue;
        const init = { direction: 'sendonly', streams: [stream] };
        const codec = source === 'camera' ? cameraCodec(this.videoCodecs) : null;
        if (codec && !codec.simulcast) {
          // One encoding; for VP9 and AV1 in spatial and temporal layers: the node forwards each
          // receiver the layers its bandwidth and tile call for (read from the dependency descriptor).
          if (codec.mode) init.sendEncodings = [{ scalabilityMode: codec.mode }];
        } else if (source === 'camera' && params.get('simulcast') !== '0') {
          // Lowest first: the node reads the a=simulcast list in this order.
          init.sendEncodings = [
            { rid: 'q', scaleResolutionDownBy: 4 },
            { rid: 'h', scaleResolutionDownBy: 2 },
            { rid: 'f', scaleResolutionDownBy: 1 },
          ];
        }
        const transceiver = pc.addTransceiver(track, init);
        if (codec) transceiver.setCodecPreferences(codec.codecs);
        if (e2ee) e2ee.attach(transceiver.sender, 'encrypt', track.kind);
        this.pub[source] = { transceiver, track, stream, muted: false };
      }
    }

    /** The `tracks` list of a publishOffer: the m-sections this client sends on. */
    publishedTracks() {
      const list = [];
      for (const source of SOURCES) {
        const s = this.pub[source];
        if (s && s.transceiver.mid != null && s.transceiver.direction === 'sendonly') {
          list.push({ mid: s.transceiver.mid, source, muted: s.muted });
        }
      }
      return list;
    }

    /** Queues an offer/answer round on the publish connection; one at a time. */
    negotiatePublish() {
      const run = this.pubQueue.catch(() => {}).then(() => this.publishRound());
      this.pubQueue = run;
      return run;
    }

    async publishRound() {
      if (this.ended) return;
      const pc = this.pubPc;
      await pc.setLocalDescription(await pc.createOffer());
      const answered = new Promise((resolve, reject) => { this.pubPending = { resolve, reject }; });
      this.send({ type: 'publishOffer', sdp: pc.localDescription.sdp, tracks: this.publishedTracks() });
      try {
        await withTimeout(answered, ANSWER_TIMEOUT_MS, 'publishOffer');
      } catch (e) {
        if (!this.ended && pc.signalingState === 'have-local-offer') {
          await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
        }
        throw e;
      } finally {
        this.pubPending = null;
      }
    }

    async onPublishAnswer(msg) {
      const pending = this.pubPending;
      if (!pending || this.pubPc.signalingState !== 'have-local-offer') {
        log('ignoring a publishAnswer without an outstanding offer');
        return;
      }
      try {
        await this.pubPc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
        const answered = new Map();
        for (const s of parseSections(msg.sdp)) if (s.mid != null) answered.set(s.mid, s);
        this.refusedSources = this.publishedTracks()
          .filter((t) => { const s = answered.get(t.mid); return s && (s.port === 0 || s.direction === 'inactive'); })
          .map((t) => t.source);
        pending.resolve();
      } catch (e) {
        this.fail('SDP_REJECTED', `This browser could not use the node's publish answer: ${e.message}`, false);
        pending.reject(e);
      }
    }

    async setMuted(source, muted) {
      if (!this.pub[source]) throw new Error(`not publishing ${source}`);
      if (await this.applyMute(source, !!muted)) this.send({ type: 'setMuted', source, muted: !!muted });
    }

    /** Mutes or unmutes a local source: no RTP while muted. Returns whether anything changed. */
    async applyMute(source, muted) {
      const s = this.pub[source];
      if (!s || s.muted === muted) return false;
      s.muted = muted;
      await s.transceiver.sender.replaceTrack(muted ? null : s.track);
      s.track.enabled = !muted;
      this.ui.renderAll(this);
      return true;
    }

    /** Stops publishing a source the join token does not allow; later offers leave it out. */
    dropSource(source) {
      const s = this.pub[source];
      if (!s) return;
      log('the join token does not allow', source, '- not publishing it');
      if (source === 'screen') {
        this.stopScreenShare().catch((e) => log('stop screen share:', e));
        return;
      }
      delete this.pub[source];
      s.transceiver.sender.replaceTrack(null).catch(() => {});
      s.transceiver.direction = 'inactive';
      s.track.stop();
      this.ui.renderAll(this);
    }

    async startScreenShare() {
      if (this.pub.screen) return;
      if (this.state !== 'joined' || !this.pubPc) throw new Error('not in a call');
      if (!this.may('publish:screen')) throw new Error('the join token does not allow screen sharing');
      const stream = params.get('fakescreen') === '1'
        ? fakeScreenStream()
        : await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
      const track = stream.getVideoTracks()[0];
      if (!track) throw new Error('the screen capture has no video');
      if (this.ended || this.pub.screen) { // left, or started twice meanwhile
        track.stop();
        return;
      }
      try { track.contentHint = 'detail'; } catch (e) { /* not supported */ }
      const transceiver = this.pubPc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      if (e2ee) {
        transceiver.setCodecPreferences(e2eeVideoCodecs());
        e2ee.attach(transceiver.sender, 'encrypt', 'video');
      }
      const entry = { transceiver, track, stream, muted: false };
      this.pub.screen = entry;
      track.addEventListener('ended', () => {
        if (this.pub.screen === entry) this.stopScreenShare().catch((e) => log('stop screen share:', e));
      });
      this.ui.renderAll(this);
      await this.negotiatePublish();
    }

    async stopScreenShare() {
      const s = this.pub.screen;
      if (!s) return;
      delete this.pub.screen;
      this.ui.renderAll(this);
      await s.transceiver.sender.replaceTrack(null);
      s.transceiver.direction = 'inactive'; // not listed in the next offer: unpublished
      s.track.stop();
      if (!this.ended) await this.negotiatePublish();
    }

    // --- subscribe connection ----------------------------------------------------------------

    createSubscribeConnection() {
      const pc = new RTCPeerConnection(this.pcConfig());
      this.subPc = pc;
      this.watchIce(pc, 'subscribe');
      pc.ontrack = (ev) => {
        if (e2ee) e2ee.attach(ev.receiver, 'decrypt', ev.track.kind);
        this.ui.renderAll(this);
      };
      pc.onconnectionstatechange = () => {
        log('subscribe connection', pc.connectionState);
        this.ui.onState(this);
        if (pc.connectionState === 'failed' && !this.ended) {
          this.fail('MEDIA_FAILED', `${ERROR_TEXT.MEDIA_FAILED} (subscribe)`, false);
        }
      };
    }

    async onSubscribeOffer(msg) {
      if (!this.subPc) this.createSubscribeConnection();
      const pc = this.subPc;
      const sections = new Map();
      for (const s of parseSections(msg.sdp)) if (s.mid != null) sections.set(s.mid, s);
      const previous = this.subSections;
      this.subSections = sections; // before setRemoteDescription: ontrack renders with it
      try {
        await pc.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
      } catch (e) {
        this.subSections = previous;
        this.fail('SDP_REJECTED', `This browser could not use the node's subscribe offer (revision ${msg.revision}): ${e.message}`, false);
        if (pc.signalingState === 'have-remote-offer') await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
        return;
      }
      this.send({ type: 'subscribeAnswer', sdp: pc.localDescription.sdp, revision: msg.revision });
      this.ui.renderAll(this);
    }

    /**
     * Tells the node how large each received video is shown (device pixels; 0 x 0 when not shown),
     * when that changed: it sends no taller a simulcast layer than the tile needs.
     */
    reportViewports() {
      if (!this.viewports) this.viewports = new Map();
      const dpr = window.devicePixelRatio || 1;
      const videos = Array.from(document.querySelectorAll('video'));
      for (const t of this.receivedTracks()) {
        if (t.kind !== 'video') continue;
        const track = t.transceiver.receiver.track;
        const el = videos.find((v) => v.srcObject && v.srcObject.getTracks().includes(track));
        const width = el ? Math.round(el.clientWidth * dpr) : 0;
        const height = el ? Math.round(el.clientHeight * dpr) : 0;
        const key = `${width}x${height}`;
        if (this.viewports.get(t.trackId) === key) continue;
        this.viewports.set(t.trackId, key);
        this.send({ type: 'setViewport', trackId: t.trackId, width, height });
      }
    }

    /** Received tracks: active m-sections of the subscribe connection not unpublished. */
    receivedTracks() {
      const out = [];
      if (!this.subPc) return out;
      for (const tr of this.subPc.getTransceivers()) {
        if (tr.mid == null || tr.stopped || tr.currentDirection === 'stopped') continue;
        const s = this.subSections.get(tr.mid);
        if (!s || s.port === 0 || !s.trackId || !(s.direction === 'sendonly' || s.direction === 'sendrecv')) continue;
        if (this.gone.has(s.trackId)) continue;
        const info = this.tracks.get(s.trackId);
        const kind = tr.receiver.track ? tr.receiver.track.kind : s.kind;
        out.push({
          participantId: (info && info.participantId) || s.streamId,
          trackId: s.trackId,
          kind,
          source: (info && info.source) || (kind === 'audio' ? 'microphone' : 'camera'),
          muted: !!(info && info.muted),
          mid: tr.mid,
          transceiver: tr,
        });
      }
      return out;
    }

    remoteTracks() {
      return this.receivedTracks().map((t) => ({
        participantId: t.participantId,
        trackId: t.trackId,
        kind: t.kind,
        source: t.source,
        muted: t.muted,
        readyState: t.transceiver.receiver.track.readyState,
        active: !t.transceiver.receiver.track.muted,
      }));
    }

    async stats() {
      const inbound = [];
      const outbound = [];
      if (this.subPc) {
        const received = this.receivedTracks();
        const byMid = await rtpStatsByMid(this.subPc, 'inbound-rtp');
        const codecs = new Map();
        (await this.subPc.getStats()).forEach((r) => { if (r.type === 'codec') codecs.set(r.id, r.mimeType); });
        for (const t of received) {
          let r = byMid.get(t.mid);
          if (!r) r = firstOfType(await t.transceiver.receiver.getStats(), 'inbound-rtp');
          inbound.push({
            participantId: t.participantId,
            trackId: t.trackId,
            kind: t.kind,
            bytesReceived: (r && r.bytesReceived) || 0,
            packetsReceived: (r && r.packetsReceived) || 0,
            framesDecoded: (r && r.framesDecoded) || 0,
            totalSamplesReceived: (r && r.totalSamplesReceived) || 0,
            nackCount: (r && r.nackCount) || 0,
            retransmittedPacketsReceived: (r && r.retransmittedPacketsReceived) || 0,
            frameWidth: (r && r.frameWidth) || 0,
            frameHeight: (r && r.frameHeight) || 0,
            codec: (r && r.codecId && codecs.get(r.codecId)) || '',
          });
        }
      }
      if (this.pubPc) {
        const byMid = await rtpStatsByMid(this.pubPc, 'outbound-rtp');
        for (const source of SOURCES) {
          const s = this.pub[source];
          if (!s) continue;
          let r = byMid.get(s.transceiver.mid);
          if (!r) r = firstOfType(await s.transceiver.sender.getStats(), 'outbound-rtp');
          outbound.push({
            source,
            kind: s.track.kind,
            bytesSent: (r && r.bytesSent) || 0,
            packetsSent: (r && r.packetsSent) || 0,
          });
        }
      }
      return {
        inbound,
        outbound,
        publishState: this.pubPc ? this.pubPc.connectionState : 'none',
        subscribeState: this.subPc ? this.subPc.connectionState : 'none',
        publishPath: this.pubPc ? await selectedPath(this.pubPc) : null,
        subscribePath: this.subPc ? await selectedPath(this.subPc) : null,
      };
    }

    // --- ending --------------------------------------------------------------------------------

    leave() {
      if (this.ended) return;
      this.leaving = true;
      this.send({ type: 'leave' });
      this.end('left');
      // The node answers bye and closes; close ourselves if it does not.
      const ws = this.ws;
      if (ws) setTimeout(() => { if (ws.readyState !== WebSocket.CLOSED) ws.close(1000, 'left'); }, 2000);
    }

    /** Stops media and timers; state becomes `state` ('left' or 'error'). Idempotent. */
    end(state) {
      if (this.ended) {
        if (state === 'error') this.setState('error');
        return;
      }
      this.ended = true;
      clearInterval(this.pingTimer);
      clearInterval(this.viewportTimer);
      if (this.pubPending) this.pubPending.reject(new Error('session ended'));
      for (const pc of [this.pubPc, this.subPc]) if (pc) pc.close();
      if (this.localStream) for (const t of this.localStream.getTracks()) t.stop();
      if (this.pub.screen) this.pub.screen.track.stop();
      if (this.ws && this.ws.readyState === WebSocket.OPEN && !this.leaving) this.ws.close(1000, state);
      this.setState(state);
      this.ui.renderAll(this);
    }
  }

  async function rtpStatsByMid(pc, type) {
    const map = new Map();
    const report = await pc.getStats();
    report.forEach((s) => { if (s.type === type && s.mid != null) map.set(String(s.mid), s); });
    return map;
  }

  /** The node's side of the selected ICE candidate pair: how media reaches it (UDP, or ICE-TCP). */
  async function selectedPath(pc) {
    const report = await pc.getStats();
    let pairId = null;
    report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
    const pair = pairId && report.get(pairId);
    const remote = pair && report.get(pair.remoteCandidateId);
    if (!remote) return null;
    const local = report.get(pair.localCandidateId);
    return {
      protocol: remote.protocol,
      candidateType: remote.candidateType,
      port: remote.port,
      localCandidateType: local ? local.candidateType : null,
    };
  }

  function firstOfType(report, type) {
    let found = null;
    report.forEach((s) => { if (!found && s.type === type) found = s; });
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // End-to-end encryption: the key comes from the URL fragment and lives only in this page and
  // its worker. Senders and receivers get the worker's transform; the node sees ciphertext.

  class E2ee {
    /**
     * From `#e2ee=KEY` (base64url, at least 16 bytes): an E2ee, {error} for an unusable key, or
     * null when the fragment has none. A browser with neither encoded-transform API fails to
     * join in attach(): it never sends media unencrypted when a key was given.
     */
    static fromFragment(hash) {
      const value = new URLSearchParams((hash || '').replace(/^#/, '')).get('e2ee');
      if (value == null) return null;
      let bytes;
      try {
        const b64 = value.replace(/-/g, '+').replace(/_/g, '/');
        bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
      } catch (e) {
        return { error: 'The end-to-end encryption key in the link is not valid base64url.' };
      }
      if (bytes.length < 16) return { error: 'The end-to-end encryption key in the link is shorter than 16 bytes.' };
      return new E2ee(bytes);
    }

    constructor(secret) {
      this.scriptTransform = typeof RTCRtpScriptTransform === 'function' && params.get('e2eeapi') !== 'streams';
      this.worker = new Worker('/e2ee-worker.js');
      this.ready = false;
      this.keyId = null;
      this.stats = {};
      this.samples = [];
      this.attached = new WeakSet();
      this.worker.onmessage = (ev) => this.onWorkerMessage(ev.data);
      this.worker.postMessage({ type: 'key', secret: secret.buffer, recordSamples: params.get('e2eesamples') === '1' },
        [secret.buffer]);
      log('end-to-end encryption on, through', this.scriptTransform ? 'RTCRtpScriptTransform' : 'createEncodedStreams');
    }

    onWorkerMessage(m) {
      if (m.type === 'ready') {
        this.ready = true;
        this.keyId = m.keyId;
      } else if (m.type === 'stats') {
        this.stats = m.stats;
        ui.showE2ee(this);
      } else if (m.type === 'sample') {
        this.samples.push({ kind: m.kind, clearHeader: base64(m.clearHeader), plaintext: base64(m.plaintext) });
        // the latest frames of each kind: a test compares them with what the node forwarded meanwhile
        if (this.samples.length > 48) this.samples.splice(this.samples.findIndex((x) => x.kind === m.kind), 1);
      } else if (m.type === 'log') {
        log(m.text);
      }
    }

    /** createEncodedStreams needs this on the RTCPeerConnection; RTCRtpScriptTransform does not. */
    pcConfigExtras() {
      return this.scriptTransform ? {} : { encodedInsertableStreams: true };
    }

    /** Encrypts what `sender` sends, or decrypts what `receiver` gets; once per sender or receiver. */
    attach(senderOrReceiver, operation, kind) {
      if (this.attached.has(senderOrReceiver)) return;
      this.attached.add(senderOrReceiver);
      if (this.scriptTransform) {
        senderOrReceiver.transform = new RTCRtpScriptTransform(this.worker, { operation, kind });
      } else {
        const { readable, writable } = senderOrReceiver.createEncodedStreams();
        this.worker.postMessage({ type: 'streams', operation, kind, readable, writable }, [readable, writable]);
      }
    }

    view() {
      return { enabled: true, ready: this.ready, keyId: this.keyId, ...this.stats, samples: this.samples.slice() };
    }
  }

  function base64(bytes) {
    let s = '';
    for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
    return btoa(s);
  }

  // ---------------------------------------------------------------------------------------------
  // The page

  class Ui {
    constructor() {
      this.tiles = new Map(); // key -> tile element
      this.audioBlocked = false;
      $('join-form').addEventListener('submit', (ev) => {
        ev.preventDefault();
        join($('call-input').value.trim(), $('name-input').value.trim());
      });
      $('mic-button').addEventListener('click', () => this.toggle('microphone'));
      $('cam-button').addEventListener('click', () => this.toggle('camera'));
      $('screen-button').addEventListener('click', () => {
        const s = current;
        if (!s) return;
        const p = s.pub.screen ? s.stopScreenShare() : s.startScreenShare();
        p.catch((e) => {
          log('screen share:', e);
          if (e && e.name !== 'NotAllowedError') this.showError({ code: 'SCREEN', message: `Screen share failed: ${e.message}` });
        });
      });
      $('leave-button').addEventListener('click', () => { if (current) current.leave(); });
      $('audio-button').addEventListener('click', () => {
        this.audioBlocked = false;
        $('audio-button').hidden = true;
        for (const a of document.querySelectorAll('audio')) a.play().catch((e) => log('audio play:', e));
      });
    }

    toggle(source) {
      const s = current;
      if (!s || !s.pub[source]) return;
      s.setMuted(source, !s.pub[source].muted).catch((e) => log('mute', source, e));
    }

    showError(err) {
      const b = $('banner');
      b.textContent = err.message || err.code;
      b.className = 'banner error';
      b.hidden = false;
    }

    showNotice(text) {
      const b = $('banner');
      b.textContent = text;
      b.className = 'banner notice';
      b.hidden = false;
    }

    clearBanner() {
      $('banner').hidden = true;
    }

    /** The end-to-end badge: that the call is encrypted, and how many frames failed to decrypt. */
    showE2ee(e) {
      const el = $('e2ee');
      el.hidden = false;
      const failed = (e.stats && e.stats.decryptFailures) || 0;
      el.textContent = `End-to-end encrypted (key from the link, never sent to the server)${
        failed ? ` · ${failed} frames failed to decrypt: wrong key?` : ''}`;
      el.classList.toggle('warn', failed > 0 && !(e.stats && e.stats.framesDecrypted));
    }

    onState(s) {
      const inCall = s.state === 'joining' || s.state === 'joined';
      $('join-form').hidden = inCall;
      $('call').hidden = !inCall;
      $('join-button').disabled = inCall;
      $('call-title').textContent = inCall ? `Call ${s.callId}` : '';
      let status;
      switch (s.state) {
        case 'joining': status = 'Joining…'; break;
        case 'joined': {
          const pub = s.pubPc ? s.pubPc.connectionState : 'none';
          const sub = s.subPc ? s.subPc.connectionState : 'none';
          status = `In call as ${s.name}${s.nodeName ? ` on ${s.nodeName}` : ''} · sending: ${pub} · receiving: ${sub}`;
          break;
        }
        case 'left': status = 'Left the call'; break;
        case 'error': status = 'Error'; break;
        default: status = 'Not connected';
      }
      $('status').textContent = status;
      document.body.dataset.state = s.state;
    }

    /** Brings the tiles in line with the session; keeps existing media elements playing. */
    renderAll(s) {
      if (s !== current) return;
      this.onState(s);
      const container = $('tiles');
      const wanted = new Map(); // key -> spec
      const live = s.state === 'joining' || s.state === 'joined';
      if (live) {
        const mic = s.pub.microphone;
        const cam = s.pub.camera;
        wanted.set('self', {
          name: `${s.name} (you)`,
          video: cam && !cam.muted ? cam.track : null,
          mirror: true,
          audio: [],
          micOff: !mic || mic.muted,
          camOff: !cam || cam.muted,
          self: true,
        });
        if (s.pub.screen) {
          wanted.set('self:screen', { name: 'Your screen', video: s.pub.screen.track, audio: [], screen: true, self: true });
        }
        const received = s.receivedTracks();
        for (const p of s.participants.values()) {
          const mine = received.filter((t) => t.participantId === p.participantId);
          const cam = mine.find((t) => t.kind === 'video' && t.source !== 'screen');
          const mics = mine.filter((t) => t.kind === 'audio');
          const known = [...s.tracks.values()].filter((t) => t.participantId === p.participantId);
          const micTrack = known.find((t) => t.source === 'microphone');
          const camTrack = known.find((t) => t.source === 'camera');
          wanted.set(`p:${p.participantId}`, {
            name: p.name,
            participantId: p.participantId,
            video: cam && !cam.muted ? cam.transceiver.receiver.track : null,
            audio: mics.map((t) => t.transceiver.receiver.track),
            micOff: !micTrack || micTrack.muted,
            camOff: !camTrack || camTrack.muted,
          });
          for (const t of mine.filter((x) => x.kind === 'video' && x.source === 'screen')) {
            wanted.set(`screen:${t.trackId}`, {
              name: `${p.name}'s screen`, participantId: p.participantId, video: t.transceiver.receiver.track, audio: [], screen: true,
            });
          }
        }
      }
      for (const [key, el] of this.tiles) {
        if (!wanted.has(key)) {
          for (const m of el.querySelectorAll('video, audio')) m.srcObject = null;
          el.remove();
          this.tiles.delete(key);
        }
      }
      for (const [key, spec] of wanted) {
        let el = this.tiles.get(key);
        if (!el) {
          el = makeTile(key);
          this.tiles.set(key, el);
        }
        container.appendChild(el); // keeps insertion order: self first
        this.updateTile(el, spec);
      }
      container.dataset.count = String(wanted.size);
      this.layout();
      this.updateControls(s);
    }

    /** Gallery layout: the column count that gives the largest 16:9 tiles in the space there is. */
    layout() {
      const container = $('tiles');
      const n = this.tiles.size;
      if (n === 0 || container.clientWidth === 0) return;
      const style = getComputedStyle(container);
      const gap = parseFloat(style.columnGap) || 0;
      const width = container.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const height = container.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      let best = { cols: 1, tile: 0 };
      for (let cols = 1; cols <= n; cols++) {
        const rows = Math.ceil(n / cols);
        const tile = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * (16 / 9));
        if (tile > best.tile) best = { cols, tile };
      }
      const tileWidth = Math.max(160, Math.floor(best.tile));
      container.style.gridTemplateColumns = `repeat(${best.cols}, ${tileWidth}px)`;
    }

    updateTile(el, spec) {
      el.classList.toggle('screen', !!spec.screen);
      el.classList.toggle('self', !!spec.self);
      if (spec.participantId) el.dataset.participantId = spec.participantId;
      el.querySelector('.name').textContent = spec.name;
      el.querySelector('.initials').textContent = initials(spec.name);
      const video = el.querySelector('video');
      video.classList.toggle('mirror', !!spec.mirror);
      setTrack(video, spec.video);
      el.classList.toggle('no-video', !spec.video);
      const micBadge = el.querySelector('.badge.mic');
      const camBadge = el.querySelector('.badge.cam');
      micBadge.hidden = spec.screen || !spec.micOff;
      camBadge.hidden = spec.screen || !spec.camOff;
      // audio: one element per received audio track
      const box = el.querySelector('.audio');
      const ids = new Set(spec.audio.map((t) => t.id));
      for (const a of [...box.children]) {
        if (!ids.has(a.dataset.trackId)) { a.srcObject = null; a.remove(); }
      }
      for (const t of spec.audio) {
        if (!box.querySelector(`audio[data-track-id="${CSS.escape(t.id)}"]`)) {
          const a = document.createElement('audio');
          a.autoplay = true;
          a.dataset.trackId = t.id;
          a.srcObject = new MediaStream([t]);
          box.appendChild(a);
          a.play().catch((e) => {
            if (e && e.name === 'NotAllowedError' && !this.audioBlocked) {
              this.audioBlocked = true;
              $('audio-button').hidden = false;
              log('sound is blocked until a click: showing "Enable sound"');
            }
          });
        }
      }
    }

    updateControls(s) {
      const mic = s.pub.microphone;
      const cam = s.pub.camera;
      const joined = s.state === 'joined';
      setButton($('mic-button'), !!(mic && mic.muted), 'Unmute mic', 'Mute mic', !joined || !mic);
      setButton($('cam-button'), !!(cam && cam.muted), 'Camera on', 'Camera off', !joined || !cam);
      setButton($('screen-button'), !!s.pub.screen, 'Stop sharing', 'Share screen', !joined || !s.may('publish:screen'));
      $('screen-button').title = s.may('publish:screen') ? '' : 'Your join token does not allow screen sharing';
      $('leave-button').disabled = !(s.state === 'joined' || s.state === 'joining');
    }
  }

  function setButton(button, pressed, pressedText, text, disabled) {
    button.textContent = pressed ? pressedText : text;
    button.setAttribute('aria-pressed', String(pressed));
    button.classList.toggle('active', pressed);
    button.disabled = disabled;
  }

  function makeTile(key) {
    const el = document.createElement('figure');
    el.className = 'tile';
    el.dataset.key = key;
    el.innerHTML = '<video autoplay playsinline muted></video>'
      + '<div class="placeholder"><span class="initials"></span></div>'
      + '<figcaption><span class="name"></span>'
      + '<span class="badge mic" hidden title="Microphone muted">mic off</span>'
      + '<span class="badge cam" hidden title="Camera off">cam off</span></figcaption>'
      + '<div class="audio" hidden></div>';
    return el;
  }

  function setTrack(video, track) {
    const currentId = video.dataset.trackId || '';
    const wantedId = track ? track.id : '';
    if (currentId === wantedId) return;
    video.dataset.trackId = wantedId;
    video.srcObject = track ? new MediaStream([track]) : null;
    if (track) video.play().catch(() => { /* muted video plays without a gesture; ignore */ });
  }

  function initials(name) {
    const words = String(name || '?').replace(/\(you\)|'s screen/g, '').trim().split(/\s+/);
    return words.slice(0, 2).map((w) => w.charAt(0).toUpperCase()).join('') || '?';
  }

  // ---------------------------------------------------------------------------------------------
  // Wiring

  const ui = new Ui();
  let current = null;
  const e2eeSetup = E2ee.fromFragment(location.hash);
  /** The page's end-to-end encryption, or null when the link has no key. */
  const e2ee = e2eeSetup instanceof E2ee ? e2eeSetup : null;
  /** A key that was asked for but is unusable: the page refuses to join rather than join unencrypted. */
  const e2eeError = e2eeSetup && !e2ee ? e2eeSetup.error : null;
  if (e2eeError) {
    ui.showError({ message: e2eeError });
    $('join-button').disabled = true;
  } else if (e2ee) {
    ui.showE2ee(e2ee);
  }
  window.addEventListener('resize', () => ui.layout());

  async function join(callId, name) {
    if (current && !current.ended) throw new Error('already in a call; leave first');
    if (e2eeError) throw new Error(e2eeError); // never join unencrypted when encryption was asked for
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(callId || '')) {
      const err = { code: 'BAD_CALL', message: 'The call name must be 1 to 64 letters, digits, ".", "_" or "-".' };
      ui.showError(err);
      throw new Error(err.message);
    }
    if (!name || name.length > 64) {
      const err = { code: 'BAD_NAME', message: 'Your name must be 1 to 64 characters.' };
      ui.showError(err);
      throw new Error(err.message);
    }
    ui.clearBanner();
    const url = new URL(location.href);
    url.searchParams.set('call', callId);
    url.searchParams.set('name', name);
    url.searchParams.delete('autojoin');
    history.replaceState(null, '', url);
    current = new Session(ui, callId, name);
    try {
      await current.start();
    } catch (e) {
      current.fail('INTERNAL', `Could not join: ${e.message}`);
      throw e;
    }
  }

  function requireSession() {
    if (!current || current.ended) throw new Error('not in a call');
    return current;
  }

  window.sfu = Object.freeze({
    get state() { return current ? current.state : 'idle'; },
    get participantId() { return current ? current.participantId : null; },
    get lastError() { return current ? current.lastError : null; },
    join,
    remoteTracks: () => (current ? current.remoteTracks() : []),
    stats: async () => (current ? current.stats()
      : { inbound: [], outbound: [], publishState: 'none', subscribeState: 'none' }),
    participants: () => (current ? [...current.participants.values()].map((p) => ({ ...p })) : []),
    localSources: () => (current ? SOURCES.filter((s) => current.pub[s]).map((s) => ({ source: s, muted: current.pub[s].muted })) : []),
    setMuted: async (source, muted) => requireSession().setMuted(source, muted),
    setCamera: async (on) => requireSession().setMuted('camera', !on),
    startScreenShare: async () => requireSession().startScreenShare(),
    stopScreenShare: async () => requireSession().stopScreenShare(),
    leave: () => { if (current) current.leave(); },
    restartIce: async () => requireSession().restartIce('asked through window.sfu'),
    get iceRestarts() { return current ? current.iceRestarts : 0; },
    get dominantSpeaker() { return current ? current.dominantSpeaker : null; },
    logs: () => logLines.slice(),
    e2ee: () => (e2ee ? e2ee.view() : { enabled: false, error: e2eeError }),
  });

  $('call-input').value = params.get('call') || '';
  $('name-input').value = params.get('name') || '';
  if (params.get('autojoin') === '1' && params.get('call') && params.get('name')) {
    join(params.get('call'), params.get('name')).catch((e) => log('autojoin failed:', e));
  }
})();
