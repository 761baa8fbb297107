/// The `CapabilityStatement` served at `GET /fhir/metadata`.
enum CapabilityStatement {
    static let resource: JSONValue = [
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2025-01-01",
        "kind": "instance",
        "software": ["name": "pillbox-central-sim", "version": "0.1.0"],
        "implementation": ["description": "Pillbox central health record simulator"],
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [[
            "mode": "server",
            "resource": [[
                "type": "MedicationDispense",
                "versioning": "versioned",
                "updateCreate": true,
                "interaction": [["code": "read"], ["code": "update"], ["code": "search-type"]],
                "searchParam": [
                    ["name": "subject", "type": "reference",
                     "documentation": "subject:identifier=SYSTEM|VALUE"],
                    ["name": "_count", "type": "number"],
                ],
            ]],
            "interaction": [["code": "batch"]],
        ]],
    ]
}
