using System.Buffers.Binary;
using System.IO.Compression;

namespace ReleaseTeamsApp.Cli.AppPackage;

/// <summary>An 8-bit RGBA image; pixels are stored row by row as R, G, B, A bytes.</summary>
internal sealed record RgbaImage(int Width, int Height, byte[] Pixels)
{
    public static RgbaImage Blank(int width, int height) => new(width, height, new byte[width * height * 4]);

    public Rgba this[int x, int y]
    {
        get
        {
            var i = Index(x, y);
            return new Rgba(Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]);
        }
        set
        {
            var i = Index(x, y);
            (Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]) = (value.R, value.G, value.B, value.A);
        }
    }

    private int Index(int x, int y) => ((y * Width) + x) * 4;
}

internal readonly record struct Rgba(byte R, byte G, byte B, byte A);

/// <summary>
/// Just enough PNG for the app icons: writes 8-bit RGBA, reads the same (all five row filters),
/// so the package can check icon sizes and transparency without an imaging library.
/// </summary>
internal static class Png
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(RgbaImage image)
    {
        var stride = image.Width * 4;
        var raw = new byte[(stride + 1) * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            // Filter type 0 (None) on every row keeps the encoder trivial; zlib does the compressing.
            Buffer.BlockCopy(image.Pixels, y * stride, raw, (y * (stride + 1)) + 1, stride);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bit depth
        header[9] = 6; // colour type RGBA

        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    public static RgbaImage Decode(byte[] png)
    {
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }

        int width = 0, height = 0, colourType = -1;
        using var idat = new MemoryStream();
        var offset = Signature.Length;
        while (offset + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    if (data[8] != 8 || data[12] != 0)
                    {
                        throw new InvalidDataException("Only 8-bit, non-interlaced PNGs are supported.");
                    }

                    colourType = data[9];
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                default:
                    break;
            }

            offset += 12 + length;
        }

        var channels = colourType switch
        {
            6 => 4,
            2 => 3,
            _ => throw new InvalidDataException($"Unsupported PNG colour type {colourType}; expected RGB or RGBA."),
        };

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        var raw = inflated.ToArray();

        var stride = width * channels;
        if (raw.Length < (stride + 1) * height)
        {
            throw new InvalidDataException("PNG image data is truncated.");
        }

        var rows = Unfilter(raw, stride, height, channels);
        var image = RgbaImage.Blank(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = (y * stride) + (x * channels);
                image[x, y] = new Rgba(rows[p], rows[p + 1], rows[p + 2], channels == 4 ? rows[p + 3] : (byte)255);
            }
        }

        return image;
    }

    private static byte[] Unfilter(byte[] raw, int stride, int height, int bpp)
    {
        var rows = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = (y * (stride + 1)) + 1;
            var dst = y * stride;
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? rows[dst + i - bpp] : 0;
                int b = y > 0 ? rows[dst - stride + i] : 0;
                int c = i >= bpp && y > 0 ? rows[dst - stride + i - bpp] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG row filter {filter}."),
                };
                rows[dst + i] = (byte)(raw[src + i] + predictor);
            }
        }

        return rows;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        png.Write(buffer);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32(typeBytes, data));
        png.Write(buffer);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
