using System.Text;

namespace LayerBuild;

/// <summary>
/// A tree shaped like a small distribution's root, the same on every machine: 6000 files in
/// 1261 directories, about 100 MB, mostly text of random words drawn from a fixed vocabulary
/// (it compresses to roughly 40 %, like a Debian rootfs) and one 2 MB incompressible file in 200.
/// </summary>
internal static class GeneratedTree
{
    public static string Write(string root)
    {
        var random = new Random(5);
        var words = Enumerable.Range(0, 4096)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(3, 11)).Select(_ => (char)('a' + random.Next(26)))]))
            .ToArray();
        for (var i = 0; i < 6000; i++)
        {
            var directory = Path.Combine(root, $"usr/share/d{i % 97}/s{i % 13}");
            Directory.CreateDirectory(directory);
            byte[] bytes;
            if (i % 200 == 0)
            {
                bytes = new byte[2_000_000];
                random.NextBytes(bytes);
            }
            else
            {
                var text = new StringBuilder();
                for (var target = random.Next(1_000, 30_000); text.Length < target;)
                {
                    text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? '\n' : ' ');
                }
                bytes = Encoding.UTF8.GetBytes(text.ToString());
            }
            File.WriteAllBytes(Path.Combine(directory, $"f{i}"), bytes);
        }
        return root;
    }
}
