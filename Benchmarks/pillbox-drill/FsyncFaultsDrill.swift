import ArgumentParser

struct FsyncFaultsDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fsync-faults", abstract: "placeholder")
}
