import Foundation
import PillboxDaemon
import PillboxModel
import PillboxTestSupport
import Testing

@Suite("The backup section of the configuration file")
struct BackupSettingsConfigurationTests {
    @Test("backup.maxAgeHours defaults to 26, takes 0 (rule off) to 8760, and refuses the rest by name")
    func maxAgeHours() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try DaemonConfiguration.resolve(environment: [:]).backup.maxAgeHours == 26)
        for value in [0, 168, 8760] {
            let path = try ConfigurationTests.file(["backup": ["maxAgeHours": value]], in: directory)
            #expect(try DaemonConfiguration.resolve(configFile: path, environment: [:]).backup.maxAgeHours == value)
        }
        let cases: [([String: Any], String)] = [
            (["backup": ["maxAgeHours": -1]], "setting backup.maxAgeHours: is out of range: must be 0 to 8760"),
            (["backup": ["maxAgeHours": 8761]], "setting backup.maxAgeHours: is out of range: must be 0 to 8760"),
            (["backup": ["maxAge": 5]], "setting backup.maxAge: unknown key"),
            (["backup": ["folders": ["usb/pillbox"]]], "setting backup.folders: must hold absolute paths"),
            (["backup": ["folders": "/mnt/usb"]], "setting backup.folders"),
        ]
        for (object, expected) in cases {
            let path = try ConfigurationTests.file(object, in: directory)
            do {
                _ = try DaemonConfiguration.resolve(configFile: path, environment: [:])
                Issue.record("accepted \(object)")
            } catch {
                #expect(error.exitCode == 78)
                #expect(error.message.contains(expected), "\(error.message) does not contain \(expected)")
            }
        }
    }

    @Test("backup.folders defaults to /var/backups/pillbox and allows a folder or one inside it, nothing else")
    func folders() throws {
        var settings = BackupSettings()
        #expect(settings.folders == ["/var/backups/pillbox"])
        #expect(settings.allows("/var/backups/pillbox"))
        #expect(settings.allows("/var/backups/pillbox/weekly"))
        #expect(!settings.allows("/var/backups/pillbox2"))
        #expect(!settings.allows("/"))
        settings.folders = []
        #expect(!settings.allows("/var/backups/pillbox"))
    }
}
