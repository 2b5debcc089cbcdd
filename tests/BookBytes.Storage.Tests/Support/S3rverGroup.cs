namespace BookBytes.Storage.Tests.Support;

/// <summary>The tests that share one s3rver.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverGroup : ICollectionFixture<S3rverFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "s3rver";
}
