/// Evaluation metrics matching their reference implementations (each file cites its reference).
public enum AlignMetrics {}
