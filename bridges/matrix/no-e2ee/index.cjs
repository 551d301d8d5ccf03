// matrix-bot-sdk requires the native crypto binding at import time, but only uses it when a
// client is built with a crypto store. Co-Agent never does (it stays out of encrypted rooms),
// so every export here throws if anything ever tries to use it.
'use strict';

const unavailable = (name) =>
  function NoEndToEndEncryption() {
    throw new Error(`${name}: end-to-end encryption is not available in Co-Agent (the native Matrix crypto library is not installed)`);
  };

for (const name of ['OlmMachine', 'UserId', 'DeviceId', 'RoomId', 'DeviceLists', 'EncryptionSettings', 'Attachment', 'EncryptedAttachment']) {
  exports[name] = unavailable(name);
}
exports.StoreType = Object.freeze({ Sled: 0, Sqlite: 1 });
