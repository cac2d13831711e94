/// The version of gradlog, recorded with every run.
public enum GradlogVersion {
    /// The release number.
    public static let current = "0.1.0"
}
