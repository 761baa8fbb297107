import Foundation
import PillboxDaemon

/// The entry point: caps malloc's arenas while the process has one thread (the cap holds
/// only for arenas not yet made; MallocArenas says why), then runs the command.
@main
enum PillboxdMain {
    static func main() async {
        MallocArenas.limitToOne(environment: ProcessInfo.processInfo.environment)
        await PillboxdCommand.main()
    }
}
