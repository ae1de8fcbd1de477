/// The REPL, cells, value display and notebook export.
public enum AlignNotebook {}
