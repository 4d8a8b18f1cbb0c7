using Greeting;
using Newtonsoft.Json;

var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => Results.Text(JsonConvert.SerializeObject(new { Text = Greeter.Greet("web") }), "application/json"));
app.Run();
