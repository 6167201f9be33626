namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>
/// Draws the two app icons from one vector glyph (a checklist: two ticked rows, one open row),
/// so the colour and outline icons always match. Run `package --render-icons` to redraw them.
/// </summary>
internal static class IconArt
{
    public const int ColorSize = 192;
    public const int OutlineSize = 32;

    private const int Subsamples = 4;
    private static readonly Rgba Accent = new(0x2B, 0x6C, 0xB0, 0xFF);
    private static readonly double[] RowCentres = [0.30, 0.50, 0.70];

    /// <summary>Full-colour, fully opaque icon: white glyph on the accent colour.</summary>
    public static RgbaImage RenderColor() => Render(ColorSize, coverage => Blend(Accent, coverage));

    /// <summary>White glyph on a transparent background, as Teams requires for the outline icon.</summary>
    public static RgbaImage RenderOutline() => Render(OutlineSize, coverage => new Rgba(255, 255, 255, ToByte(coverage)));

    private static RgbaImage Render(int size, Func<double, Rgba> shade)
    {
        var image = RgbaImage.Blank(size, size);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var inside = 0;
                for (var sy = 0; sy < Subsamples; sy++)
                {
                    for (var sx = 0; sx < Subsamples; sx++)
                    {
                        var u = (x + ((sx + 0.5) / Subsamples)) / size;
                        var v = (y + ((sy + 0.5) / Subsamples)) / size;
                        inside += IsGlyph(u, v) ? 1 : 0;
                    }
                }

                image[x, y] = shade((double)inside / (Subsamples * Subsamples));
            }
        }

        return image;
    }

    private static bool IsGlyph(double u, double v)
    {
        for (var row = 0; row < RowCentres.Length; row++)
        {
            var c = RowCentres[row];
            var isBar = u is >= 0.44 and <= 0.86 && Math.Abs(v - c) <= 0.04;
            var isMarker = row < RowCentres.Length - 1
                ? NearSegment(u, v, 0.14, c, 0.22, c + 0.07, 0.035) || NearSegment(u, v, 0.22, c + 0.07, 0.36, c - 0.08, 0.035)
                : Math.Abs(u - 0.25) <= 0.06 && Math.Abs(v - c) <= 0.06;
            if (isBar || isMarker)
            {
                return true;
            }
        }

        return false;
    }

    private static bool NearSegment(double px, double py, double ax, double ay, double bx, double by, double halfWidth)
    {
        var (dx, dy) = (bx - ax, by - ay);
        var t = Math.Clamp((((px - ax) * dx) + ((py - ay) * dy)) / ((dx * dx) + (dy * dy)), 0, 1);
        var (cx, cy) = (ax + (t * dx) - px, ay + (t * dy) - py);
        return (cx * cx) + (cy * cy) <= halfWidth * halfWidth;
    }

    private static Rgba Blend(Rgba background, double whiteCoverage) => new(
        Mix(background.R, whiteCoverage),
        Mix(background.G, whiteCoverage),
        Mix(background.B, whiteCoverage),
        255);

    private static byte Mix(byte channel, double whiteCoverage) => ToByte(((channel / 255.0) * (1 - whiteCoverage)) + whiteCoverage);

    private static byte ToByte(double unit) => (byte)Math.Round(unit * 255);
}
