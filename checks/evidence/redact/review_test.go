package redact

import (
	"encoding/base64"
	"mime"
	"net/url"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// phpSettings is a store's PHP settings with the given secret key.
func phpSettings(secretValue string) string {
	return "<?php\n" +
		"$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
		"$cfg['AwsAccessKey']['value'] = \"" + accessID + "\";\n" +
		"$cfg['AwsSecretKey']['value'] = \"" + secretValue + "\";\n" +
		"$cfg['ReportsEmail']['value'] = \"" + owner + "\";\n"
}

// cartURL is a cart URL as the store's pages and cart reports carry it.
const cartURL = "https://www.amazon.com/gp/cart/aws-merge.html?cart-id=1&associate-id=" + assocID + "&AWSAccessKeyId=" + accessID + "\n"

// TestPublicValueInSecretField checks that an ID typed into the secret
// key's field is left as it is everywhere, settings and links, and counted
// as such: it is in every link the store makes.
func TestPublicValueInSecretField(t *testing.T) {
	for _, v := range []string{assocID, accessID, " " + assocID + " ", "GARDENSHOP-20"} {
		t.Run(v, func(t *testing.T) {
			settings := phpSettings(v)
			r := New()
			r.Learn(store.KindSettingsPHP, []byte(settings))
			out, c := r.File(store.KindSettingsPHP, []byte(settings))
			want := strings.Replace(settings, owner, OwnerEmail, 1)
			if string(out) != want || c != (Counts{Emails: 1, PublicSecrets: 1}) {
				t.Errorf("settings %+v:\n%s\nwant\n%s", c, out, want)
			}
			for _, kind := range []store.Kind{store.KindLinkList, store.KindStorePage, store.KindCartReports} {
				if out, c := r.File(kind, []byte(cartURL)); string(out) != cartURL || c.SecretKeys != 0 {
					t.Errorf("%s: %q (%+v), want it as it was", kind, out, c)
				}
			}
		})
	}
	// An ID only the links carry is known too.
	r := New()
	r.Public("oldshop-20")
	settings := phpSettings("oldshop-20")
	r.Learn(store.KindSettingsPHP, []byte(settings))
	if _, c := r.File(store.KindSettingsPHP, []byte(settings)); c.PublicSecrets != 1 || c.SecretKeys != 0 {
		t.Errorf("a secret equal to a link's ID: %+v", c)
	}
}

// TestShortSecretOnOneLine checks a JSON export on one line, as PHP's
// json_encode writes it: a short secret is replaced where the setting is,
// not in the Associate ID before it, and the owner's address is known.
func TestShortSecretOnOneLine(t *testing.T) {
	in := `{"AmazonAssociateId":"testshop-20","AwsAccessKey":"` + accessID + `","AwsSecretKey":"test","ReportsEmail":"test@testshop.example"}`
	out, c := Settings(store.KindSettingsJSON, []byte(in))
	want := `{"AmazonAssociateId":"testshop-20","AwsAccessKey":"` + accessID + `","AwsSecretKey":"reda","ReportsEmail":"` + OwnerEmail + `"}`
	if string(out) != want || c != (Counts{SecretKeys: 1, Emails: 1}) {
		t.Errorf("got  %s (%+v)\nwant %s", out, c, want)
	}
	// The same, the secret set before the ID.
	in = `{"AwsSecretKey":"shop","AmazonAssociateId":"testshop-20"}`
	if out, _ := Settings(store.KindSettingsJSON, []byte(in)); string(out) != `{"AwsSecretKey":"reda","AmazonAssociateId":"testshop-20"}` {
		t.Errorf("secret before the ID: %s", out)
	}
}

// TestSecretAsWholeToken checks that a secret is replaced elsewhere only
// where it stands whole, and only when it looks like a key.
func TestSecretAsWholeToken(t *testing.T) {
	const key = "Ab3dEf9hIj2Kq7"
	ph := SecretPlaceholder(key)
	tests := []struct {
		name, secret, in, want string
	}{
		{"whole", key, "key " + key + ".", "key " + ph + "."},
		{"in a query", key, "?k=" + key + "&x=1", "?k=" + ph + "&x=1"},
		{"in quotes", key, `"` + key + `"`, `"` + ph + `"`},
		{"the start of a longer key", key, key + "Zz9", key + "Zz9"},
		{"the end of a longer key", key, "Zz9" + key, "Zz9" + key},
		{"before an escaped sign", key, key + "%2Fx", key + "%2Fx"},
		{"after a sign", key, "x/" + key, "x/" + key},
		{"a word is no key", "gardenshopsupplies", "www.gardenshopsupplies.example", "www.gardenshopsupplies.example"},
		{"a tracking ID is no key", "gardenshop-20", "tag=gardenshop-20", "tag=gardenshop-20"},
		{"an access key ID is no secret", accessID, "AWSAccessKeyId=" + accessID, "AWSAccessKeyId=" + accessID},
		{"too short", "Ab3dEf9h", "Ab3dEf9h", "Ab3dEf9h"},
		{"URL-encoded in lower case", secret, "k=" + strings.ReplaceAll(url.QueryEscape(secret), "%2F", "%2f") + "&",
			"k=" + strings.ReplaceAll(url.QueryEscape(secretPH), "%2F", "%2f") + "&"},
		{"as HTML character references", secret, strings.ReplaceAll(secret, "+", "&#43;"), strings.ReplaceAll(secretPH, "+", "&#43;")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Counts
			if got := Text(tt.in, &c, tt.secret); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if n := map[bool]int{true: 1}[tt.in != tt.want]; c.SecretKeys != n {
				t.Errorf("%d secrets counted, want %d", c.SecretKeys, n)
			}
		})
	}
}

// TestSecretSplitOverLines checks a secret written as PHP string
// concatenation over two lines: all of it goes, the lines stay, and it
// counts once.
func TestSecretSplitOverLines(t *testing.T) {
	in := "<?php\n$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
		"$cfg['AwsSecretKey']['value'] = \"" + secret[:20] + "\" .\n    \"" + secret[20:] + "\";\n"
	out, c := Settings(store.KindSettingsPHP, []byte(in))
	want := "<?php\n$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
		"$cfg['AwsSecretKey']['value'] = \"" + secretPH[:20] + "\" .\n    \"" + secretPH[20:] + "\";\n"
	if string(out) != want || c != (Counts{SecretKeys: 1}) {
		t.Errorf("got %s (%+v)\nwant %s", out, c, want)
	}
}

// TestSecretEscaped checks values the PHP reader decodes from escapes.
func TestSecretEscaped(t *testing.T) {
	in := phpSettings(`q9Vd2kLm7XwPz4Rt8Hn1Bc6Jy3Fg5Ks0Ae\x2b\057Tu2W`)
	out, c := Settings(store.KindSettingsPHP, []byte(in))
	if v, _ := settingsOf(t, store.KindSettingsPHP, out).Get("AwsSecretKey"); v.Text != secretPH || c.SecretKeys != 1 {
		t.Errorf("the secret reads %q (%+v):\n%s", v.Text, c, out)
	}
}

// TestSecretNotFound checks that a secret the redactor cannot find in the
// text (written with an escape it does not know) is counted as left in,
// not as taken out.
func TestSecretNotFound(t *testing.T) {
	in := phpSettings(`\u{71}9Vd2kLm7XwPz4Rt8Hn1Bc6Jy3Fg5Ks0Ae+/Tu2W`)
	if v, _ := settingsOf(t, store.KindSettingsPHP, []byte(in)).Get("AwsSecretKey"); v.Text != secret {
		t.Skipf("the PHP reader does not decode \\u{71}: %q", v.Text)
	}
	if _, c := Settings(store.KindSettingsPHP, []byte(in)); c.SecretKeys != 0 || c.SecretsLeft != 1 {
		t.Errorf("counts %+v, want the secret counted as left in", c)
	}
	if got := (Counts{SecretsLeft: 1}).String(); !strings.Contains(got, "NOT taken out") {
		t.Errorf("Counts.String() = %q", got)
	}
}

// TestLeaks checks forms of addresses that were once left in.
func TestLeaks(t *testing.T) {
	tests := []struct {
		name, in, want string
		counts         Counts
	}{
		{"IPv6 after IPv6:", "Received: from x (unknown [IPv6:2001:db8:85a3::8a2e:370:7334])",
			"Received: from x (unknown [IPv6:" + IP + "])", Counts{IPs: 1}},
		{"IPv6 after IP:", "IP:2001:db8::46\n", "IP:" + IP + "\n", Counts{IPs: 1}},
		{"IPv6 after =", "Client=2001:DB8:0:0:8:800:200C:417A;", "Client=" + IP + ";", Counts{IPs: 1}},
		{"IPv4 in IPv6", "from ::ffff:203.0.113.9 at", "from " + IP + " at", Counts{IPs: 1}},
		{"IPv6 with a zone", "fe80::1%eth0", IP + "%eth0", Counts{IPs: 1}},
		{"padded IPv4", "203.000.113.045", IP, Counts{IPs: 1}},
		{"not IPv6", "10:20:30 de:ad:be:ef:00:01 a:hover::before Foo::bar std::vector IPv6::", "10:20:30 de:ad:be:ef:00:01 a:hover::before Foo::bar std::vector IPv6::", Counts{}},
		{"accented domain", "user@bücher.example", Email, Counts{Emails: 1}},
		{"accented user", "Email: jörg.müller@beispiel.de!", "Email: " + Email + "!", Counts{Emails: 1}},
		{"punycode domain", "a@xn--bcher-kva.example", Email, Counts{Emails: 1}},
		{"quoted user part", `Email3: "john smith"@example.com`, "Email3: " + Email, Counts{Emails: 1}},
		{"@ as a character reference", "john&#64;example.com and jane&#x40;example.org",
			"redacted&#64;example.invalid and redacted&#x40;example.invalid", Counts{Emails: 2}},
		{"PHP strings keep their quotes", `$a = "x@example.com"; $b = 'y@example.com';`,
			`$a = "` + Email + `"; $b = '` + Email + `';`, Counts{Emails: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Counts
			if got := Text(tt.in, &c); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if c != tt.counts {
				t.Errorf("counts %+v, want %+v", c, tt.counts)
			}
		})
	}
}

// TestMailEncodedWords checks addresses in encoded words (RFC 2047) of
// the Subject and of names.
func TestMailEncodedWords(t *testing.T) {
	subject := mime.BEncoding.Encode("UTF-8", "Cart for john.smith@example.com, größe 2")
	in := "From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <jm@example.de>\n" +
		"To: orders@gardenshop.example (John Q. Smith)\n" +
		"Subject: " + subject + "\n" +
		"Date: Mon, 05 Oct 2009 21:03:09 -0400\n\nA cart.\n"
	out, c := Mail([]byte(in))
	dec := new(mime.WordDecoder)
	var got []string
	for _, l := range strings.Split(string(out), "\n") {
		d, err := dec.DecodeHeader(l)
		if err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, d)
	}
	text := strings.Join(got, "\n")
	for _, gone := range []string{"john.smith", "Jörg", "Müller", "jm@", "John Q", "orders@"} {
		if strings.Contains(text, gone) {
			t.Errorf("%q survives:\n%s", gone, text)
		}
	}
	if !strings.Contains(text, "Subject: Cart for "+Email+", größe 2") {
		t.Errorf("the subject is lost:\n%s", text)
	}
	if c != (Counts{Emails: 3, Names: 2}) {
		t.Errorf("counts %+v\n%s", c, out)
	}
}

// TestMailKeepsLines checks that every line of a message stays where it
// was: folded headers stay folded, quoted-printable and base64 parts keep
// their encoding and their number of lines.
func TestMailKeepsLines(t *testing.T) {
	qp := "Visitor: jane.doe=\n@mail.example from 203.0.113.45 on =\n2009-10-05, caf=C3=A9\n" +
		"Amazon cart: https://www.amazon.com/gp/cart/aws-merge.html?cart-id=3D1&assoc=\niate-id=3D" + assocID + "\n" +
		"Nothing to take out here, =\nnot even on the second line.\n"
	plainB64 := "Visitor: " + visitor + " from " + visitIP + "\nAmazon cart: " + cartURL
	b64 := base64.StdEncoding.EncodeToString([]byte(plainB64))
	b64Lines := b64[:40] + "\n" + b64[40:80] + "\n" + b64[80:] + "\n"
	for _, nl := range []string{"\n", "\r\n"} {
		in := "From shop@gardenshop.example Mon Oct  5 21:03:09 2009\n" +
			"From: \"Garden Shop\"\n <noreply@gardenshop.example>\n" +
			"To: Jane Owner <" + owner + ">,\n\tBob <bob@gardenshop.example>,\n carol@gardenshop.example\n" +
			"References: <1.2@gardenshop.example>\n <3.4@gardenshop.example>\n" +
			"Subject: Remote Cart\n Report\n" +
			"Content-Type: multipart/alternative; boundary=\"b1\"\n\n" +
			"--b1\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qp +
			"--b1\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + b64Lines +
			"--b1--\n\n" +
			"From shop@gardenshop.example Tue Oct  6 08:00:00 2009\nFrom: " + visitor + "\nSubject: next\n\nsecond message\n"
		in = strings.ReplaceAll(in, "\n", nl)
		out, c := Mail([]byte(in))
		got := string(out)
		inLines, outLines := strings.SplitAfter(in, "\n"), strings.SplitAfter(got, "\n")
		if len(inLines) != len(outLines) {
			t.Fatalf("%d lines, want %d:\n%s", len(outLines), len(inLines), got)
		}
		for i := range inLines {
			if strings.HasSuffix(inLines[i], "\r\n") != strings.HasSuffix(outLines[i], "\r\n") {
				t.Errorf("line %d: %q ends otherwise than %q", i+1, outLines[i], inLines[i])
			}
			// The boundaries and message starts stay on their lines.
			if strings.HasPrefix(inLines[i], "--b1") || strings.HasPrefix(inLines[i], "From ") {
				if !strings.HasPrefix(outLines[i], inLines[i][:4]) {
					t.Errorf("line %d: %q, want %q", i+1, outLines[i], inLines[i])
				}
			}
		}
		for _, want := range []string{
			"From: [redacted]" + nl + " <" + Email + ">" + nl,
			"To: [redacted] <" + Email + ">," + nl + "\t[redacted] <" + Email + ">," + nl + " <" + Email + ">" + nl,
			"Subject: Remote Cart" + nl + " Report" + nl,
			"Content-Transfer-Encoding: quoted-printable" + nl,
			"Nothing to take out here, =" + nl + "not even on the second line." + nl,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the output lacks %q:\n%s", want, got)
			}
		}
		// What the parts say, decoded, is what they said, redacted.
		text := decodeQP(got) + decodeBase64Blocks(got)
		for _, want := range []string{
			"Visitor: " + Email + " from " + IP + " on 2009-10-05, café",
			"associate-id=" + assocID,
			"Visitor: " + Email + " from " + IP + "\nAmazon cart: " + cartURL,
		} {
			if !strings.Contains(strings.ReplaceAll(text, "\r\n", "\n"), want) {
				t.Errorf("the decoded parts lack %q:\n%s", want, text)
			}
		}
		for _, gone := range []string{"jane.doe", visitIP, visitor, "1.2@", "bob@", "Garden Shop"} {
			if strings.Contains(got+text, gone) {
				t.Errorf("%q survives:\n%s", gone, got)
			}
		}
		if c.Names != 3 {
			t.Errorf("%d names, want 3", c.Names)
		}
	}
}

// FuzzKeepsLines checks that no input makes the redaction panic or change
// the number of lines of a mail, a settings file or a text.
func FuzzKeepsLines(f *testing.F) {
	f.Add(plainMail, secret)
	f.Add("From a Mon Oct  5 21:03:09 2009\n"+plainMail+"\nFrom b Tue Oct  6 08:00:00 2009\n"+reply, "")
	f.Add("From: x@example.com\nContent-Transfer-Encoding: quoted-printable\n\na=3D=\nb@c.example =\n\n", "Ab3dEf9hIj2Kq7")
	f.Add("To: \"A, B\" <a@b.example>,\n C <c@d.example>\nSubject: =?UTF-8?B?YUBiLmV4YW1wbGU=?=\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-Encoding: base64\n\nYUBiLmV4YW1wbGU=\n--x--\n", "")
	f.Add(phpSettings(secret[:20]+"\" .\n \""+secret[20:]), secret)
	f.Fuzz(func(t *testing.T, in, sec string) {
		lines := strings.Count(in, "\n")
		if out, _ := Mail([]byte(in), sec); strings.Count(string(out), "\n") != lines {
			t.Errorf("Mail: %d lines, want %d:\n%q\n%q", strings.Count(string(out), "\n"), lines, in, out)
		}
		if out, _ := Settings(store.KindSettingsPHP, []byte(in), sec); strings.Count(string(out), "\n") != lines {
			t.Errorf("Settings: %d lines, want %d:\n%q\n%q", strings.Count(string(out), "\n"), lines, in, out)
		}
		var c Counts
		if out := Text(in, &c, sec); strings.Count(out, "\n") != lines {
			t.Errorf("Text: %d lines, want %d:\n%q\n%q", strings.Count(out, "\n"), lines, in, out)
		}
	})
}
