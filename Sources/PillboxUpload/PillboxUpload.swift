// PillboxUpload: the daemon's link to the central FHIR R4 record, all of it.
//
// - Upload: `Uploader` drains the outbox, `UploadPolicy` decides (retry, back off, hold,
//   dead-letter), `Wakeup` ends its waits early. New work is announced by the store
//   (`Store.observingOutboxWork`), sync requests by the daemon's wiring.
// - Profiles: `CentralProfileFetcher` reads a patient's central dispenses within a time
//   budget and keeps them sealed in the store; `ProfilePrefetchService` refreshes recent ones.
// - Shared by both: `CentralClient` over `CentralTransport` (one mutual-TLS HTTP client),
//   `CentralHealth` (what `/v1/status` reports; upload failures pause profile fetches) and
//   `UploadSettings` (every `central.*` setting).
//
// One module, not two: both halves use the same client, health and settings, so a split
// would need a third module for those, or profiles depending on upload. See docs/upload.md.
