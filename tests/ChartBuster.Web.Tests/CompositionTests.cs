using System.Reflection;
using ChartBuster.Web.Following;

namespace ChartBuster.Web.Tests;

/// <summary>How the site is put together: what a page or a service needs comes through its constructor.</summary>
public sealed class CompositionTests
{
    private static readonly Assembly s_site = typeof(ModelFollower).Assembly;

    [Fact]
    public void No_page_or_service_of_the_site_takes_the_service_provider_to_look_things_up_itself()
    {
        var lookingUp = s_site.GetTypes()
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IServiceProvider))))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(lookingUp);
    }

    [Fact]
    public void The_model_source_has_exactly_two_implementations_the_registry_and_a_local_file()
    {
        var sources = s_site.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModelSource).IsAssignableFrom(t)).Select(t => t.Name).Order(StringComparer.Ordinal);

        Assert.Equal([nameof(LocalModelFile), nameof(RegistryModelSource)], sources);
    }
}
