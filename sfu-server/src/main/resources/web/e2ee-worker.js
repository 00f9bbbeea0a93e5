/*
 * sfu-fleet end-to-end media encryption (see shared-model/docs/signalling.md, "End-to-end
 * encryption"). Runs in a worker: Chromium hands every encoded audio and video frame to it, before
 * RTP packetization on the way out and after depacketization on the way in, either through
 * RTCRtpScriptTransform (`rtctransform` events) or, in browsers without it, as the streams of
 * createEncodedStreams() posted by the page.
 *
 * Frame format on the wire (inside the RTP payload, which SRTP then encrypts hop by hop):
 *   clear header | AES-128-GCM ciphertext and 16-byte tag | IV (12 bytes) | key id (1 byte)
 * The clear header is what Chromium's packetizer reads: VP8's payload header (10 bytes of a
 * keyframe, 3 of a delta frame, RFC 6386 section 9.1), none for VP9 and audio. It is also the
 * GCM additional data, so it cannot be changed without the frame failing to decrypt.
 * IV: 8 random bytes per page (per sender) and a 32-bit frame counter, so no two frames of
 * the participants sharing the key use one IV (GCM's one hard rule).
 */
'use strict';

const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const TRAILER = IV_LENGTH + 1;
const SAMPLE_MAX_BYTES = 1200;

let key = null;
let keyId = -1;
const sender = crypto.getRandomValues(new Uint8Array(8));
let counter = 0;
let recordSamples = false;
const stats = {
  framesEncrypted: 0, framesDecrypted: 0, audioDecrypted: 0, videoDecrypted: 0,
  decryptFailures: 0, unknownKeyFrames: 0, unsupportedFrames: 0,
};
let statsDirty = false;

/** HKDF-SHA-256 from the shared secret: an AES-GCM key and a key id, so a wrong key is told apart. */
async function setSecret(secret) {
  const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const salt = new TextEncoder().encode('sfu-fleet e2ee v1');
  key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: new TextEncoder().encode('frame key') },
    base, { name: 'AES-GCM', length: 128 }, false, ['encrypt', 'decrypt']);
  const idBits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info: new TextEncoder().encode('key id') }, base, 8);
  keyId = new Uint8Array(idBits)[0];
  self.postMessage({ type: 'ready', keyId });
}

/**
 * Bytes left in the clear for the packetizer, or -1 for a codec whose packetizer reads the
 * payload further (H264 NAL units, AV1 OBUs): such frames are dropped, never sent readable.
 */
function clearBytes(frame, kind) {
  if (kind === 'audio') return 0;
  const meta = typeof frame.getMetadata === 'function' ? frame.getMetadata() : {};
  const mime = (meta.mimeType || 'video/VP8').toLowerCase();
  if (mime === 'video/vp8') return frame.type === 'key' ? 10 : 3;
  if (mime === 'video/vp9') return 0;
  return -1;
}

function nextIv() {
  const iv = new Uint8Array(IV_LENGTH);
  iv.set(sender, 0);
  new DataView(iv.buffer).setUint32(8, counter);
  counter = (counter + 1) >>> 0;
  return iv;
}

async function encrypt(frame, controller, kind) {
  if (!key) return; // not ready: nothing goes out unencrypted
  const data = new Uint8Array(frame.data);
  const clear = Math.min(clearBytes(frame, kind), data.length);
  if (clear < 0) {
    stats.unsupportedFrames++;
    statsDirty = true;
    return;
  }
  if (recordSamples && data.length - clear >= 32) { // tests only: the page keeps the latest few
    const plain = data.slice(clear, clear + SAMPLE_MAX_BYTES);
    self.postMessage({ type: 'sample', kind, clearHeader: data.slice(0, clear), plaintext: plain });
  }
  const iv = nextIv();
  const header = data.subarray(0, clear);
  const sealed = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: header, tagLength: TAG_LENGTH * 8 }, key, data.subarray(clear)));
  const out = new Uint8Array(clear + sealed.length + TRAILER);
  out.set(header, 0);
  out.set(sealed, clear);
  out.set(iv, clear + sealed.length);
  out[out.length - 1] = keyId;
  frame.data = out.buffer;
  stats.framesEncrypted++;
  statsDirty = true;
  controller.enqueue(frame);
}

/** A frame that does not decrypt is dropped and counted: the decoder never sees garbage. */
async function decrypt(frame, controller, kind) {
  const data = new Uint8Array(frame.data);
  const clear = clearBytes(frame, kind);
  if (!key) return; // the key is still being derived: a moment's frames are lost, none counted
  statsDirty = true;
  if (clear < 0 || data.length < clear + TAG_LENGTH + TRAILER) {
    stats.decryptFailures++;
    return;
  }
  if (data[data.length - 1] !== keyId) {
    stats.unknownKeyFrames++;
    stats.decryptFailures++;
    return;
  }
  const ivAt = data.length - TRAILER;
  let plain;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: data.subarray(ivAt, ivAt + IV_LENGTH), additionalData: data.subarray(0, clear),
        tagLength: TAG_LENGTH * 8 },
      key, data.subarray(clear, ivAt)));
  } catch (e) {
    stats.decryptFailures++;
    return;
  }
  const out = new Uint8Array(clear + plain.length);
  out.set(data.subarray(0, clear), 0);
  out.set(plain, clear);
  frame.data = out.buffer;
  stats.framesDecrypted++;
  if (kind === 'audio') stats.audioDecrypted++; else stats.videoDecrypted++;
  controller.enqueue(frame);
}

function pipe(readable, writable, operation, kind) {
  const step = operation === 'encrypt' ? encrypt : decrypt;
  readable
    .pipeThrough(new TransformStream({ transform: (frame, controller) => step(frame, controller, kind) }))
    .pipeTo(writable)
    .catch((e) => self.postMessage({ type: 'log', text: `e2ee ${operation} ${kind} stopped: ${e}` }));
}

// RTCRtpScriptTransform: one event per sender or receiver the page attached.
self.onrtctransform = (event) => {
  const t = event.transformer;
  pipe(t.readable, t.writable, t.options.operation, t.options.kind);
};

self.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'key') {
    recordSamples = !!m.recordSamples;
    setSecret(m.secret).catch((e) => self.postMessage({ type: 'log', text: `e2ee key: ${e}` }));
  } else if (m.type === 'streams') { // createEncodedStreams fallback
    pipe(m.readable, m.writable, m.operation, m.kind);
  }
};

setInterval(() => {
  if (!statsDirty) return;
  statsDirty = false;
  self.postMessage({ type: 'stats', stats });
}, 250);
