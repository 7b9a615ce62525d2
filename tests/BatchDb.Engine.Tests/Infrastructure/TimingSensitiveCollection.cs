namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>
/// Tests that assert how long a reader waits run on their own, after the parallel ones: on a 2-core
/// machine other tests' load would otherwise be measured as lock waits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "Timing-sensitive";
}
