package evidence

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want store.Kind
	}{
		{"php open tag", "<?php\n$x = 1;", store.KindSettingsPHP},
		{"php open tag upper case after BOM", "\xef\xbb\xbf  <?PHP", store.KindSettingsPHP},
		{"php short tag", "<? $cfg = 1;", store.KindSettingsPHP},
		{"php with a bad byte later", "<?php\n$cfg['AmazonAssociateId'] = 'caf\xe9\xff\xfe';", store.KindSettingsPHP},
		{"php snippet", "// pasted\n$cfg['AmazonAssociateId']['value'] = 'x';", store.KindSettingsPHP},
		{"php define snippet", "define( \"amazonassociateid\", 'x');", store.KindSettingsPHP},
		{"php-looking unknown key", "$cfg['Colour'] = 'red';", store.KindUnknown},
		{"html doctype", "<!DOCTYPE html><p>hi", store.KindSettingsHTML},
		{"html saved page", "<!-- saved from url=(0036)http://x/ -->\n<html>", store.KindSettingsHTML},
		{"html fragment form", "<form><input name=AmazonAssociateId></form>", store.KindSettingsHTML},
		{"xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">`, store.KindSettingsHTML},
		{"xml not html", `<?xml version="1.0"?><ItemLookupResponse/>`, store.KindUnknown},
		{"svg image", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`, store.KindIgnored},
		{"json", "  \n{\"AmazonAssociateId\": 1}", store.KindSettingsJSON},
		{"json array", "[1]", store.KindUnknown},
		{"yaml", "# export\nAmazonAssociateId: x-20\n", store.KindSettingsYAML},
		{"yaml in a section", "settings:\n  - 'amazonassociateid': x-20\n", store.KindSettingsYAML},
		{"ini", "[aom]\nAmazonAssociateId = x-20\n", store.KindSettingsINI},
		{"ini list", "Reports[] = Remote_Cart\n", store.KindSettingsINI},
		{"ini aws key", "aws_access_key_id=AKIA\n", store.KindSettingsINI},
		{"yaml or ini: the first known key decides", "Colour = red\nAmazonAssociateId: x\nReports = y\n", store.KindSettingsYAML},
		{"prose", "Hello, my store does not work.", store.KindUnknown},
		{"empty", "", store.KindUnknown},
		{"blank", " \n\t\r\n", store.KindUnknown},
		{"nul bytes", "AmazonAssociateId = \x00\x00", store.KindUnknown},
		{"mostly invalid utf-8", "\xff\xfe\xfd\xfc\xfb AmazonAssociateId = x", store.KindUnknown},
		{"utf-16", "\xff\xfe<\x00?\x00", store.KindUnknown},
		{"gif", "GIF89a\x01\x00\x01\x00", store.KindIgnored},
		{"jpeg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", store.KindIgnored},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff(%q) = %s, want %s", tc.head, got, tc.want)
			}
		})
	}
	if got := Sniff(pngBytes(t)); got != store.KindIgnored {
		t.Errorf("Sniff(png) = %s, want ignored", got)
	}
}

func TestIsKnownKey(t *testing.T) {
	for _, k := range []string{
		"AmazonAssociateId", "amazonassociateid", " Reports ", "ECSVERSION",
		"AwsAccessKey", "AmazonAccessKey", "AccessKeyId", "AwsSecretKey", "AmazonSecretKey",
		"SecretAccessKey", "AWSAccessKeyId", "aws_access_key_id", "aws-secret-access-key", "SecretKey", "AmazonSecret",
	} {
		if !IsKnownKey(k) {
			t.Errorf("IsKnownKey(%q) = false, want true", k)
		}
	}
	for _, k := range []string{"", "access", "Secret", "SiteTitle", "AmazonAssociateIds", "password", "AwsRegion"} {
		if IsKnownKey(k) {
			t.Errorf("IsKnownKey(%q) = true, want false", k)
		}
	}
}

func TestLooksBinary(t *testing.T) {
	latin1 := []byte("$cfg['SiteTitle'] = 'Jardinerie caf\xe9 et th\xe9';\n")
	if looksBinary(latin1) {
		t.Error("a Latin-1 line was taken for binary data")
	}
	// A multi-byte character cut by the 64 KiB limit is not a bad byte.
	cut := append(bytes.Repeat([]byte("a"), 5), "é"[0])
	if looksBinary(cut) {
		t.Error("a character cut at the end was taken for binary data")
	}
}
