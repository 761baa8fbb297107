/// A decoded answer with the response it came in (whose body `--json` prints as sent).
public struct LocalAnswer<Answer: Sendable>: Sendable {
    public var value: Answer
    public var response: LocalResponse

    public init(value: Answer, response: LocalResponse) {
        self.value = value
        self.response = response
    }
}
