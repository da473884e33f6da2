#!/usr/bin/env python3
"""DSSE with Debian's securesystemslib and cryptography, written from the specification apart
from ringfence, for the cross-verification tests.

  dsse_securesystemslib.py verify ENVELOPE PUBLIC_PEM   prints "verified" or "refused ..."
  dsse_securesystemslib.py sign ENVELOPE OUT_ENVELOPE OUT_PUBLIC_PEM
      re-signs ENVELOPE's payload with a new securesystemslib Ed25519 key
"""
import base64, json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from securesystemslib import keys as sslib_keys
from securesystemslib.signer import Signature, SSlibKey, SSlibSigner

def pae(payload_type, body):
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)

if sys.argv[1] == "verify":
    env = json.load(open(sys.argv[2]))
    pub = serialization.load_pem_public_key(open(sys.argv[3], "rb").read())
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = SSlibKey("00", "ed25519", "ed25519", {"public": raw.hex()})  # keyids are hex in securesystemslib
    sig = env["signatures"][0]
    try:
        key.verify_signature(Signature("00", base64.b64decode(sig["sig"]).hex()),
                             pae(env["payloadType"].encode(), base64.b64decode(env["payload"])))
        print("verified")
    except Exception as e:
        print("refused", type(e).__name__, e)
else:
    k = sslib_keys.generate_ed25519_key()
    env = json.load(open(sys.argv[2]))
    sig = SSlibSigner(k).sign(pae(env["payloadType"].encode(), base64.b64decode(env["payload"])))
    out = {"payload": env["payload"], "payloadType": env["payloadType"],
           "signatures": [{"keyid": sig.keyid, "sig": base64.b64encode(bytes.fromhex(sig.signature)).decode()}]}
    json.dump(out, open(sys.argv[3], "w"))
    pem = Ed25519PublicKey.from_public_bytes(bytes.fromhex(k["keyval"]["public"])).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    open(sys.argv[4], "wb").write(pem)
