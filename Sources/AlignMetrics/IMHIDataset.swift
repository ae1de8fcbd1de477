/// The IMHI benchmark datasets that have rule tables (seed-reference A1/A2), keyed as the seed keys
/// them: the CSV file name up to its first `.`.
public enum IMHIDataset: String, CaseIterable, Sendable {
    /// SWMH: which mental disorder (5 classes, Reddit).
    case swmh
    /// T-SID: which mental disorder (4 classes, Twitter).
    case tSID = "t-sid"
    /// CLPsych depression (binary); in the seed's tables although no data ships.
    case clp = "CLP"
    /// Depression detection (binary).
    case dr = "DR"
    /// Stress detection (binary).
    case dreaddit
    /// Loneliness detection (binary).
    case loneliness
    /// Interpersonal risk factors (binary).
    case irf = "Irf"
    /// Wellness dimensions (binary).
    case multiWD = "MultiWD"
    /// Stress causes (9 classes).
    case sad = "SAD"
    /// Causes of depression (6 classes).
    case cams = "CAMS"

    /// The dataset of a seed file name such as `t-sid.csv` (the part before the first `.`).
    public init(fileName: String) throws {
        let key = String(fileName.prefix { $0 != "." })
        guard let dataset = IMHIDataset(rawValue: key) else {
            throw MetricError.unknownDataset(name: key, known: IMHIDataset.allCases.map(\.rawValue))
        }
        self = dataset
    }
}
