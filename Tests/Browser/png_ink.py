#!/usr/bin/python3
"""Counts the "ink" in a PNG screenshot: pixels that differ clearly from the page background.

Usage: png_ink.py FILE.png [X0 Y0 X1 Y1]...

Prints `WIDTH HEIGHT INK...` where each INK counts the pixels inside one box (default: the whole
image) whose colour differs from the top-left pixel by more than 48 in any channel. Reads the PNG with
Pillow (Debian's python3-pil, for Debian's /usr/bin/python3, installed by scripts/setup).
"""
import sys

from PIL import Image


def main():
    with Image.open(sys.argv[1]) as image:
        # Chromium writes RGB or RGBA; comparing colours only, any other mode is made RGB too.
        pixels = image.convert("RGB")
    width, height = pixels.size
    numbers = [int(v) for v in sys.argv[2:]]
    boxes = [numbers[i:i + 4] for i in range(0, len(numbers) - 3, 4)] or [[0, 0, width, height]]
    background = pixels.getpixel((0, 0))
    print(width, height, *(ink(pixels, box, background) for box in boxes))


def ink(pixels, box, background):
    """The pixels inside box (x0, y0, x1, y1, clipped to the image) that differ from background."""
    x0, y0, x1, y1 = box
    width, height = pixels.size
    box = (max(0, x0), max(0, y0), min(width, x1), min(height, y1))
    count = 0
    if box[0] < box[2] and box[1] < box[3]:
        # Each distinct colour once, with its count: far fewer than the pixels of a screenshot.
        area = (box[2] - box[0]) * (box[3] - box[1])
        for pixels_of_colour, colour in pixels.crop(box).getcolors(maxcolors=area):
            if any(abs(a - b) > 48 for a, b in zip(colour, background)):
                count += pixels_of_colour
    return count


if __name__ == "__main__":
    main()
