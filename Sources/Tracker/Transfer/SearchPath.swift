/// PostgreSQL's `search_path` setting read as its server reads it, for the schema it names first.
enum SearchPath {
    /// The first schema of `setting` (`"My Schema", public`, `gradlog`, `"$user", public`): a quoted
    /// name with its `""` undoubled, an unquoted one in lower case as PostgreSQL folds it, `$user` as
    /// `user`; nil for an empty path.
    static func firstSchema(of setting: String, user: String) -> String? {
        var characters = Substring(setting).drop { $0 == " " || $0 == "\t" }
        var name = ""
        if characters.first == "\"" {
            characters = characters.dropFirst()
            while let character = characters.first {
                characters = characters.dropFirst()
                if character != "\"" { name.append(character); continue }
                guard characters.first == "\"" else { return name == "$user" ? user : name }
                name.append("\"")
                characters = characters.dropFirst()
            }
            return nil  // an unclosed quote: the server would not have accepted it
        }
        name = String(characters.prefix { $0 != "," }).trimmingSpaces().asciiLowercased()
        if name == "$user" { return user }
        return name.isEmpty ? nil : name
    }
}

private extension String {
    /// The string with A–Z in lower case and nothing else changed, as PostgreSQL folds an unquoted name.
    func asciiLowercased() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }

    /// The string without its leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
