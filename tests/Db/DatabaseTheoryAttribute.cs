using System.Reflection;
using CallReview.Db;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CallReview.Tests.Db;

/// <summary>
/// <c>[DatabaseTheory, DatabaseData]</c>: a theory run once per database the app supports, its
/// <see cref="DatabaseProvider"/> as the only argument. SQLite always runs; SQL Server runs when
/// <see cref="TestDatabase"/> can get one (Docker, or a server named in <c>CALLREVIEW_TEST_SQLSERVER</c>), and is
/// otherwise a skipped row that says why: never a silent pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("CallReview.Tests.Db.DatabaseTheoryDiscoverer", "CallReview.Tests")]
public sealed class DatabaseTheoryAttribute : TheoryAttribute;

/// <summary>One row per database engine; <see cref="DatabaseTheoryAttribute"/> skips the rows of engines not available.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseDataAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => Enum.GetValues<DatabaseProvider>().Select(p => new object[] { p });
}

public sealed class DatabaseTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    private static int _told;

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
    {
        if (dataRow is not [DatabaseProvider provider] || TestDatabase.Unavailable(provider) is not { } reason)
            return base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
        // Once per run in the runner's output (xunit.runner.json turns diagnostic messages on), not only per skipped row.
        if (Interlocked.Exchange(ref _told, 1) == 0)
            DiagnosticMessageSink.OnMessage(new DiagnosticMessage($"Database tests skipped on {reason}"));
        return CreateTestCasesForSkippedDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow, reason);
    }
}
