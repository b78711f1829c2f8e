extension Array where Element == any CodingKey {
    /// The path as a client reads it: members joined by `.`, array positions in brackets
    /// (`rules[2].start_time`, `answers.topic`); empty for the top level.
    package var jsonPath: String {
        var path = ""
        for key in self {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                if !path.isEmpty { path += "." }
                path += key.stringValue
            }
        }
        return path
    }
}
