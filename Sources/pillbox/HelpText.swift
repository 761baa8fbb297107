/// Text shared by the subcommands' `--help`.
enum HelpText {
    /// The exit codes of the commands that send one request to pillboxd (not `status`, `doctor`).
    static let exitCodes = """

        Exit codes:
          0   done
          65  refused as invalid (400, 413): the lines after name the field
          66  not found (404), or the file cannot be read
          69  pillboxd cannot be reached (stopped, or socket not open to you)
          75  conflict (409): nothing to do, or not possible now
          76  the answer cannot be read (tool and daemon versions differ)
          77  not allowed (403): use sudo or an admin user
          1   any other answer
        """
}
