using Greeting;
using Newtonsoft.Json;

var message = new { Text = Greeter.Greet("console"), Mode = Environment.GetEnvironmentVariable("SAMPLE_MODE") ?? "host", Args = args };
Console.WriteLine(JsonConvert.SerializeObject(message));
