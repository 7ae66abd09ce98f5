namespace ChartBuster.Infra.Tests;

[CollectionDefinition(Name)]
public sealed class SharedTemplates : ICollectionFixture<SynthesizedTemplates>
{
    public const string Name = "synthesized templates";
}
