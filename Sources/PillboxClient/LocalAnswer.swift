/// A decoded answer with the response it came in (whose body `--json` prints as sent).
package struct LocalAnswer<Answer: Sendable>: Sendable {
    package var value: Answer
    package var response: LocalResponse

    package init(value: Answer, response: LocalResponse) {
        self.value = value
        self.response = response
    }
}
