package dev.moodtag.encode;

import org.w3c.dom.Element;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.RenderingHints;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a picture at an exact size in one of the layouts the decoder meets in still images, with the JDK's own
 * encoders (FFmpeg's recorder rounds odd sizes up, which would hide exactly the sizes under test).
 */
enum TestPictures {
    /** JPEG, chroma halved both ways (the JDK's default and most cameras'): FFmpeg's yuvj420p. */
    JPEG_420("jpg", BufferedImage.TYPE_3BYTE_BGR, 2, 2, "yuvj420p"),
    /** JPEG, chroma halved horizontally: yuvj422p. */
    JPEG_422("jpg", BufferedImage.TYPE_3BYTE_BGR, 2, 1, "yuvj422p"),
    /** JPEG, full chroma: yuvj444p. */
    JPEG_444("jpg", BufferedImage.TYPE_3BYTE_BGR, 1, 1, "yuvj444p"),
    JPEG_GREY("jpg", BufferedImage.TYPE_BYTE_GRAY, 1, 1, "gray"),
    /** PNG, 8-bit RGB: rgb24 (PNG's 4:4:4; it has no subsampled layouts). */
    PNG_RGB("png", BufferedImage.TYPE_3BYTE_BGR, 0, 0, "rgb24"),
    PNG_GREY("png", BufferedImage.TYPE_BYTE_GRAY, 0, 0, "gray"),
    /** PNG with a palette: pal8, the palette in FFmpeg's second plane. */
    PNG_PALETTE("png", BufferedImage.TYPE_BYTE_INDEXED, 0, 0, "pal8"),
    PNG_RGBA("png", BufferedImage.TYPE_INT_ARGB, 0, 0, "rgba");

    private final String extension;
    private final int imageType;
    private final int lumaH, lumaV;
    /** What FFmpeg decodes the file to. */
    final String ffmpegPixelFormat;

    TestPictures(String extension, int imageType, int lumaH, int lumaV, String ffmpegPixelFormat) {
        this.extension = extension;
        this.imageType = imageType;
        this.lumaH = lumaH;
        this.lumaV = lumaV;
        this.ffmpegPixelFormat = ffmpegPixelFormat;
    }

    /** {@code photo} stretched to width × height, written in this layout into {@code dir}. */
    Path write(BufferedImage photo, int width, int height, Path dir) throws IOException {
        BufferedImage picture = new BufferedImage(width, height, imageType);
        Graphics2D g = picture.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, width, height, null);
        g.dispose();
        Path file = dir.resolve(name().toLowerCase() + "-" + width + "x" + height + "." + extension);
        ImageWriter writer = ImageIO.getImageWritersByFormatName(extension).next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(picture), param);
            if (lumaH > 0 && picture.getRaster().getNumBands() == 3) setLumaSampling(metadata);
            writer.write(null, new IIOImage(picture, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return file;
    }

    /** The chroma components keep factor 1; the luma's factors say how much finer it is sampled. */
    private void setLumaSampling(IIOMetadata metadata) throws IOException {
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode sof = (IIOMetadataNode) root.getElementsByTagName("sof").item(0);
        Element luma = (Element) sof.getElementsByTagName("componentSpec").item(0);
        luma.setAttribute("HsamplingFactor", Integer.toString(lumaH));
        luma.setAttribute("VsamplingFactor", Integer.toString(lumaV));
        metadata.setFromTree(format, root);
    }
}
