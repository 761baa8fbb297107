import Hummingbird

extension FHIREndpoints {
    /// The FHIR listener's routes under `/fhir`, behind the fault and outcome middleware.
    func router(faults: FaultSwitch) -> Router<SimulatorRequestContext> {
        let router = Router(context: SimulatorRequestContext.self)
        router.add(middleware: FaultMiddleware(faults: faults, stats: stats))
        router.add(middleware: OutcomeMiddleware())
        router.get("/fhir/metadata") { request, context in metadata(request, context: context) }
        router.get("/fhir/MedicationDispense") { request, context in try await search(request, context: context) }
        router.post("/fhir/MedicationDispense/_search") { request, context in try await postSearch(request, context: context) }
        router.get("/fhir/MedicationDispense/:id") { request, context in try await read(request, context: context) }
        router.put("/fhir/MedicationDispense/:id") { request, context in try await update(request, context: context) }
        router.post("/fhir") { request, context in try await batch(request, context: context) }
        return router
    }
}
