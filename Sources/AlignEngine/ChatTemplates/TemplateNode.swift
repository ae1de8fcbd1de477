/// The syntax tree of a chat template: statements (`TemplateNode`) holding expressions (`TemplateExpr`).
/// Every node keeps its source offset so runtime errors can point at it.
indirect enum TemplateExpr {
    case literal(TemplateValue)
    case name(String, at: Int)
    case list([TemplateExpr])
    case dict([(TemplateExpr, TemplateExpr)])
    /// `a.b`.
    case attribute(TemplateExpr, String, at: Int)
    /// `a[b]`.
    case item(TemplateExpr, TemplateExpr, at: Int)
    case slice(TemplateExpr, start: TemplateExpr?, stop: TemplateExpr?, step: TemplateExpr?, at: Int)
    case call(TemplateExpr, args: [TemplateExpr], kwargs: [(String, TemplateExpr)], at: Int)
    case filter(TemplateExpr, name: String, args: [TemplateExpr], kwargs: [(String, TemplateExpr)], at: Int)
    case test(TemplateExpr, name: String, args: [TemplateExpr], negated: Bool, at: Int)
    case unary(String, TemplateExpr, at: Int)
    case binary(String, TemplateExpr, TemplateExpr, at: Int)
    case and(TemplateExpr, TemplateExpr)
    case or(TemplateExpr, TemplateExpr)
    case conditional(then: TemplateExpr, condition: TemplateExpr, otherwise: TemplateExpr?)
}

indirect enum TemplateNode {
    case text(String)
    case output(TemplateExpr)
    case ifChain([(condition: TemplateExpr, body: [TemplateNode])], otherwise: [TemplateNode])
    /// `for a[, b] in iterable [if filter]` … `else` … `endfor`.
    case forLoop(targets: [String], iterable: TemplateExpr, filter: TemplateExpr?, body: [TemplateNode],
                 otherwise: [TemplateNode], at: Int)
    /// `set a = …`, `set a, b = …`, or `set ns.attr = …`.
    case set(targets: [String], attribute: String?, value: TemplateExpr, at: Int)
    /// `set name %}…{% endset`.
    case setBlock(String, body: [TemplateNode])
    case macro(name: String, parameters: [(String, TemplateExpr?)], body: [TemplateNode])
    /// transformers' `{% generation %}…{% endgeneration %}` (marks assistant text; renders its body).
    case generation([TemplateNode])
    case breakLoop, continueLoop
}
