using ChartBuster.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddChartBusterWeb();
var app = builder.Build();
app.UseChartBusterWeb();
app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
