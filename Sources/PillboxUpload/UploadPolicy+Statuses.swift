extension UploadPolicy {
    /// The one table of HTTP statuses. A whole request: 400, 413 and 422 refuse the bundle's
    /// content; any other 4xx (and 3xx: redirects are not followed) says the request went to
    /// the wrong place. An entry of a batch-response: 404 and 405 say the same (the resource
    /// type or the PUT is not served there); any other 4xx refuses that entry's content.
    package static func classify(status: Int, scope: Scope) -> StatusClass {
        switch (status, scope) {
        case (200...299, _): .accepted
        case (408, _), (429, _), (500...599, _): .transient
        case (401, _), (403, _): .credentials
        case (404, _), (405, _): .configuration
        case (400, .request), (413, .request), (422, .request): .content
        case (400...499, .entry): .content
        default: .configuration
        }
    }
}
