using System.Buffers.Binary;
using ReleaseTeamsApp.Cli.AppPackage;

namespace ReleaseTeamsApp.Deployment.Tests.AppPackage;

public sealed class IconTests
{
    [Theory]
    [InlineData("color.png", 192)]
    [InlineData("outline.png", 32)]
    public void Header_CommittedIcon_DeclaresTeamsSizeAsRgbaPng(string file, int size)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryFiles.AppPackage, file));

        // Read IHDR directly so the size check does not depend on the decoder under test.
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));

        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal((size, size), (width, height));
        Assert.Equal(6, bytes[25]);
    }

    [Fact]
    public void ColorIcon_Committed_IsFullyOpaqueAndNotOneFlatColour()
    {
        var image = Png.Decode(File.ReadAllBytes(Path.Combine(RepositoryFiles.AppPackage, "color.png")));

        var pixels = Pixels(image).ToList();

        Assert.Equal((192, 192), (image.Width, image.Height));
        Assert.All(pixels, p => Assert.Equal(255, p.A));
        Assert.True(pixels.Distinct().Count() > 2);
    }

    [Fact]
    public void OutlineIcon_Committed_IsWhiteOnTransparent()
    {
        var image = Png.Decode(File.ReadAllBytes(Path.Combine(RepositoryFiles.AppPackage, "outline.png")));

        var pixels = Pixels(image).ToList();

        Assert.Equal((32, 32), (image.Width, image.Height));
        Assert.All(pixels, p => Assert.True(p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255), $"pixel {p} is neither transparent nor white"));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
    }

    [Fact]
    public void CommittedIcons_ComparedWithIconArt_AreTheSameDrawing()
    {
        var color = Png.Decode(File.ReadAllBytes(Path.Combine(RepositoryFiles.AppPackage, "color.png")));
        var outline = Png.Decode(File.ReadAllBytes(Path.Combine(RepositoryFiles.AppPackage, "outline.png")));

        var (freshColor, freshOutline) = (IconArt.RenderColor(), IconArt.RenderOutline());

        Assert.Equal(freshColor.Pixels, color.Pixels);
        Assert.Equal(freshOutline.Pixels, outline.Pixels);
    }

    [Fact]
    public void Decode_EncodedImage_RoundTripsEveryPixel()
    {
        var image = RgbaImage.Blank(3, 2);
        image[0, 0] = new Rgba(1, 2, 3, 4);
        image[2, 1] = new Rgba(250, 128, 0, 255);

        var decoded = Png.Decode(Png.Encode(image));

        Assert.Equal((3, 2), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    private static IEnumerable<Rgba> Pixels(RgbaImage image)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                yield return image[x, y];
            }
        }
    }
}
