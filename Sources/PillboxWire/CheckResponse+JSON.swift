import PillboxChecks
import PillboxModel

extension CheckResponse {
    /// The answer's JSON, byte for byte what `JSONCoding.encoder` writes for it (sorted keys,
    /// absent optionals left out); nil where the encoder would refuse it (a quantity that is
    /// not finite). Every intake answers one: through the encoder, its fixed cost per
    /// container was about 5% of an intake's CPU (docs/performance.md, "the checks' answer
    /// written directly"). `CheckResponseJSONTests` holds it to the encoder.
    package var jsonBytes: [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(256 + findings.count * 256)
        out.append(contentsOf: #"{"coverage":"#.utf8)
        coverage.appendJSON(to: &out)
        out.append(contentsOf: #","findings":["#.utf8)
        for (index, finding) in findings.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"dispenses":["#.utf8)
            for (index, fill) in finding.dispenses.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard fill.appendJSON(to: &out) else { return nil }
            }
            out.append(contentsOf: #"],"message":"#.utf8)
            JSONBytes.appendString(finding.message, to: &out)
            out.append(contentsOf: #","severity":"#.utf8)
            JSONBytes.appendString(finding.severity.rawValue, to: &out)
            out.append(contentsOf: #","type":"#.utf8)
            JSONBytes.appendString(finding.type.rawValue, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"skippedChecks":["#.utf8)
        for (index, skipped) in skippedChecks.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"reason":"#.utf8)
            JSONBytes.appendString(skipped.reason.rawValue, to: &out)
            out.append(contentsOf: #","type":"#.utf8)
            JSONBytes.appendString(skipped.type.rawValue, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}

extension Coverage {
    /// `{"ageSeconds":…,"asOf":…,"central":…,"reason":…,"stale":…,"unreadableLocalFills":…}`,
    /// absent members left out, as the encoder writes it.
    func appendJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let ageSeconds {
            out.append(contentsOf: #""ageSeconds":"#.utf8)
            JSONBytes.appendInt(ageSeconds, to: &out)
            out.append(UInt8(ascii: ","))
        }
        if let asOf {
            out.append(contentsOf: #""asOf":"#.utf8)
            JSONBytes.appendString(asOf, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""central":"#.utf8)
        JSONBytes.appendString(central.rawValue, to: &out)
        if let reason {
            out.append(contentsOf: #","reason":"#.utf8)
            JSONBytes.appendString(reason.rawValue, to: &out)
        }
        if let stale {
            out.append(contentsOf: #","stale":"#.utf8)
            JSONBytes.appendBool(stale, to: &out)
        }
        out.append(contentsOf: #","unreadableLocalFills":"#.utf8)
        JSONBytes.appendInt(unreadableLocalFills, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}

extension CheckResponse.FillBody {
    /// `{"date":…,"daysSupply":…,"id":…,"pharmacy":…,"quantity":…,"source":…}`, absent members
    /// left out; false when the quantity is not finite.
    func appendJSON(to out: inout [UInt8]) -> Bool {
        out.append(contentsOf: #"{"date":"#.utf8)
        JSONBytes.appendString(date, to: &out)
        if let daysSupply {
            out.append(contentsOf: #","daysSupply":"#.utf8)
            JSONBytes.appendInt(daysSupply, to: &out)
        }
        out.append(contentsOf: #","id":"#.utf8)
        JSONBytes.appendString(id, to: &out)
        if let pharmacy {
            out.append(contentsOf: #","pharmacy":"#.utf8)
            JSONBytes.appendString(pharmacy, to: &out)
        }
        if let quantity {
            out.append(contentsOf: #","quantity":"#.utf8)
            guard JSONBytes.appendNumber(quantity, to: &out) else { return false }
        }
        out.append(contentsOf: #","source":"#.utf8)
        JSONBytes.appendString(source.rawValue, to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }
}
