/// One section of the report. Adding a section to the report is adding a builder.
public protocol ReportSectionBuilder: Sendable {
    func build(_ context: ReportContext) throws -> ReportSection
}
