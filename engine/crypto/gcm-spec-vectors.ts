/**
 * The test cases of McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B (the vectors NIST's
 * GCM page and SP 800-38D point to): cases 2, 3, 4 (AES-128) and 14, 15, 16 (AES-256), all with 96-bit IVs as SSH
 * uses (RFC 5647 §7.1). Hex strings; test data shared by the portable and the WebCrypto provider tests.
 */
const P64 = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const K1 = 'feffe9928665731c6d6a8f9467308308';
const IV = 'cafebabefacedbaddecaf888';
const A = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
export const GCM_SPEC_CASES = [
  { name: 'case 2', key: '00'.repeat(16), iv: '00'.repeat(12), p: '00'.repeat(16), a: '',
    c: '0388dace60b6a392f328c2b971b2fe78', t: 'ab6e47d42cec13bdf53a67b21257bddf' },
  { name: 'case 3', key: K1, iv: IV, p: P64, a: '',
    c: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985',
    t: '4d5c2af327cd64a62cf35abd2ba6fab4' },
  { name: 'case 4', key: K1, iv: IV, p: P64.slice(0, 120), a: A,
    c: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
    t: '5bc94fbc3221a5db94fae95ae7121a47' },
  { name: 'case 14', key: '00'.repeat(32), iv: '00'.repeat(12), p: '00'.repeat(16), a: '',
    c: 'cea7403d4d606b6e074ec5d3baf39d18', t: 'd0d1c8a799996bf0265b98b5d48ab919' },
  { name: 'case 15', key: K1 + K1, iv: IV, p: P64, a: '',
    c: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
    t: 'b094dac5d93471bdec1a502270e3cc6c' },
  { name: 'case 16', key: K1 + K1, iv: IV, p: P64.slice(0, 120), a: A,
    c: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    t: '76fc6ece0f4e1768cddf8853bb2d551b' },
];
