extension Duration {
    /// Whole and fractional milliseconds, for logs and for APIs that count in milliseconds or
    /// microseconds (`sd_notify`, Dispatch timers).
    package var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
