/// Quoting for a POSIX shell, for commands gradlog prints for people to run (`sweep --print-commands`).
public enum ShellWord {
    /// The word as the shell reads it back: unchanged when it holds only safe characters, else in
    /// single quotes (a single quote written '\'').
    public static func quoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-./=:,+@%".unicodeScalars.contains(scalar))
        }
        if safe { return word }
        var quoted = "'"
        for character in word { quoted += character == "'" ? "'\\''" : String(character) }
        return quoted + "'"
    }
}
