// The one content hash (engine/hash.ts): real SHA-256 (FIPS 180-4 test vectors), without Web
// Crypto, so a page served over plain HTTP (no crypto.subtle) still compiles and caches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { contentHash, filesHash } from "../../engine/hash.js";

test("contentHash is SHA-256 of the UTF-8 text (FIPS 180-4 vectors)", () => {
  assert.equal(contentHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(contentHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(contentHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // UTF-8, not UTF-16: "\u00e9" is the two bytes c3 a9
  assert.equal(contentHash("\u00e9"), "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
});

test("filesHash ignores key order and cannot be fooled by framing", () => {
  assert.equal(filesHash({ a: "1", b: "2" }), filesHash({ b: "2", a: "1" }));
  assert.notEqual(filesHash({ a: "1" }), filesHash({ a: "2" }));
  assert.notEqual(filesHash({ a: "1" }), filesHash({ b: "1" }));
  // a name/content split that a naive "name + separator + text" join would confuse
  assert.notEqual(filesHash({ "a": "\u0000b" }), filesHash({ "a\u0000": "b" }));
  assert.match(filesHash({ "datastore.ts": "x" }), /^[0-9a-f]{64}$/);
});

test("hashing works with no Web Crypto at all (an insecure origin)", async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true, writable: true });
  try {
    assert.equal((globalThis as { crypto?: unknown }).crypto, undefined);
    assert.equal(contentHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const { storedCompile } = await import("../../engine/compile.js");
    // a cache lookup computes the key: it must not reach for crypto.subtle
    assert.equal(await storedCompile("0.0.0", { "datastore.ts": "// nothing" }), undefined);
  } finally {
    if (saved) Object.defineProperty(globalThis, "crypto", saved);
  }
});
