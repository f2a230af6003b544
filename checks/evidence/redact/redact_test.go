package redact

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/aomdoctor/aomdoctor/checks/evidence"
	"github.com/aomdoctor/aomdoctor/checks/store"
)

// The made-up values of the tests: a secret key of the real shape, the
// owner's address, a visitor's address and IP address.
const (
	secret   = "q9Vd2kLm7XwPz4Rt8Hn1Bc6Jy3Fg5Ks0Ae+/Tu2W"
	owner    = "orders@gardenshop.example"
	visitor  = "jane.doe@mail.example"
	visitIP  = "203.0.113.45"
	assocID  = "gardenshop-20"
	accessID = "AKIAJ7QX3MZ2RT5LWB4N"
)

var secretPH = SecretPlaceholder(secret)

// settingsOf reads settings as check does, to see what a redacted file
// still says.
func settingsOf(t *testing.T, kind store.Kind, data []byte) *store.Settings {
	t.Helper()
	read := settingsReaders[kind]
	s, err := read("settings", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the redacted %s file no longer reads: %v\n%s", kind, err, data)
	}
	return s
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name string
		kind store.Kind
		in   string
		want Counts
	}{
		{"php", store.KindSettingsPHP, "<?php\n" +
			"$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
			"$cfg['AwsAccessKey']['value'] = \"" + accessID + "\";\n" +
			"$cfg['AwsSecretKey']['value'] = \"" + secret + "\";\n" +
			"$cfg['ReportsEmail']['value'] = '" + owner + "';\n" +
			"// support asked for this on 2009-10-02: " + visitor + " from " + visitIP + "\n",
			Counts{SecretKeys: 1, Emails: 2, IPs: 1}},
		{"php define", store.KindSettingsPHP, "<?php\n" +
			"define('AmazonAssociateId', '" + assocID + "');\n" +
			"define('AwsSecretKey', '" + secret + "');\n" +
			"define('ReportsEmail', '" + owner + "');\n",
			Counts{SecretKeys: 1, Emails: 1}},
		{"html", store.KindSettingsHTML, "<html><body><form name=\"settings\" method=\"post\">\n" +
			"<input type=\"text\" name=\"AmazonAssociateId\" value=\"" + assocID + "\">\n" +
			"<input type=\"text\" name=\"AwsAccessKey\" value=\"" + accessID + "\">\n" +
			"<input type=\"password\" name=\"AwsSecretKey\" value=\"" + secret + "\">\n" +
			"<input type=\"text\" name=\"ReportsEmail\" value=\"" + owner + "\">\n" +
			"<p>Help: <a href=\"mailto:" + visitor + "\">" + visitor + "</a></p>\n" +
			"</form></body></html>\n",
			Counts{SecretKeys: 1, Emails: 3}},
		{"json", store.KindSettingsJSON, "{\n" +
			"  \"AmazonAssociateId\": \"" + assocID + "\",\n" +
			"  \"AwsAccessKey\": \"" + accessID + "\",\n" +
			"  \"AwsSecretKey\": \"" + secret + "\",\n" +
			"  \"ReportsEmail\": \"" + owner + "\"\n}\n",
			Counts{SecretKeys: 1, Emails: 1}},
		{"json with escaped slashes", store.KindSettingsJSON, "{\n" +
			"  \"AmazonAssociateId\": \"" + assocID + "\",\n" +
			"  \"AwsSecretKey\": \"" + strings.ReplaceAll(secret, "/", `\/`) + "\"\n}\n",
			Counts{SecretKeys: 1}},
		{"yaml", store.KindSettingsYAML, "# export\n" +
			"AmazonAssociateId: " + assocID + "\n" +
			"AwsAccessKey: " + accessID + "\n" +
			"AwsSecretKey: \"" + secret + "\"\n" +
			"ReportsEmail: " + owner + "\n",
			Counts{SecretKeys: 1, Emails: 1}},
		{"ini", store.KindSettingsINI, "; export\n[amazon]\n" +
			"AmazonAssociateId = " + assocID + "\n" +
			"AwsAccessKey = " + accessID + "\n" +
			"aws_secret_access_key = " + secret + "\n" +
			"[store]\nReportsEmail = " + owner + "\n",
			Counts{SecretKeys: 1, Emails: 1}},
		{"ini with CRLF", store.KindSettingsINI, "AmazonAssociateId = " + assocID + "\r\n" +
			"AwsSecretKey = " + secret + "\r\n" +
			"ReportsEmail = " + owner + "\r\n",
			Counts{SecretKeys: 1, Emails: 1}},
		{"secret twice", store.KindSettingsPHP, "<?php\n" +
			"$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
			"$cfg['AwsSecretKey']['value'] = \"" + secret + "\";\n" +
			"// the old one was also " + secret + "\n",
			Counts{SecretKeys: 2}},
		{"no secrets", store.KindSettingsPHP, "<?php\n" +
			"$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
			"$cfg['AmazonConnectionMethod']['value'] = \"aom\";\n",
			Counts{}},
		{"empty secret", store.KindSettingsPHP, "<?php\n" +
			"$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n" +
			"$cfg['AwsSecretKey']['value'] = \"\";\n",
			Counts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, c := Settings(tt.kind, []byte(tt.in))
			got := string(out)
			if c != tt.want {
				t.Errorf("counts %+v, want %+v", c, tt.want)
			}
			for _, gone := range []string{secret, strings.ReplaceAll(secret, "/", `\/`), owner, visitor, visitIP} {
				if strings.Contains(got, gone) {
					t.Errorf("%q survives:\n%s", gone, got)
				}
			}
			if strings.Count(got, "\n") != strings.Count(tt.in, "\n") || strings.Count(got, "\r\n") != strings.Count(tt.in, "\r\n") {
				t.Errorf("the line endings changed:\n%q", got)
			}
			s := settingsOf(t, tt.kind, out)
			if v, _ := s.Get("AmazonAssociateId"); v.Text != assocID {
				t.Errorf("associate ID %q, want %q kept", v.Text, assocID)
			}
			if v, ok := s.Get("AwsAccessKey"); ok && v.Text != accessID {
				t.Errorf("access key %q, want %q kept", v.Text, accessID)
			}
			for _, v := range s.Values() {
				if isSecretKey(v.Key) && v.Text != "" && v.Text != secretPH {
					t.Errorf("the secret now reads %q, want the placeholder %q", v.Text, secretPH)
				}
			}
			if v, ok := s.Get("ReportsEmail"); ok && v.Text != OwnerEmail {
				t.Errorf("ReportsEmail %q, want %q", v.Text, OwnerEmail)
			}
		})
	}
}

// TestSettingsShortSecret checks that a secret too short to be told apart
// is replaced where it is set and nowhere else.
func TestSettingsShortSecret(t *testing.T) {
	in := "<?php\n$cfg['AmazonAssociateId']['value'] = \"abcshop-20\";\n$cfg['AwsSecretKey']['value'] = \"abc\";\n"
	out, c := Settings(store.KindSettingsPHP, []byte(in))
	s := settingsOf(t, store.KindSettingsPHP, out)
	if v, _ := s.Get("AmazonAssociateId"); v.Text != "abcshop-20" {
		t.Errorf("associate ID %q, want abcshop-20", v.Text)
	}
	if v, _ := s.Get("AwsSecretKey"); v.Text != SecretPlaceholder("abc") || c.SecretKeys != 1 {
		t.Errorf("secret %q (%d replaced), want %q", v.Text, c.SecretKeys, SecretPlaceholder("abc"))
	}
}

// TestSettingsOtherSecrets checks that a secret set in another file of the
// store is taken out of this one too.
func TestSettingsOtherSecrets(t *testing.T) {
	in := "<?php\n$cfg['AmazonAssociateId']['value'] = \"" + assocID + "\";\n// key: " + secret + "\n"
	out, c := Settings(store.KindSettingsPHP, []byte(in), secret)
	if strings.Contains(string(out), secret) || !strings.Contains(string(out), secretPH) || c.SecretKeys != 1 {
		t.Errorf("counts %+v:\n%s", c, out)
	}
}

func TestSecrets(t *testing.T) {
	tests := []struct {
		kind store.Kind
		in   string
		want []string
	}{
		{store.KindSettingsPHP, "<?php\n$cfg['AwsSecretKey']['value'] = \"" + secret + "\";\n", []string{secret}},
		{store.KindSettingsJSON, `{"AmazonAssociateId": "x-20", "AmazonSecretKey": "` + secret + `"}`, []string{secret}},
		{store.KindSettingsINI, "AmazonAssociateId = x-20\naws_secret_access_key = " + secret + "\n", []string{secret}},
		{store.KindSettingsPHP, "<?php\n$cfg['AwsSecretKey']['value'] = \"\";\n", nil},
		{store.KindSettingsPHP, "<?php\n$cfg['AmazonAssociateId']['value'] = \"x-20\";\n", nil},
		{store.KindLinkList, secret + "\n", nil},
		{store.KindSettingsPHP, "", nil},
	}
	for _, tt := range tests {
		if got := Secrets(tt.kind, []byte(tt.in)); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Secrets(%s, %.40q) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
		secrets        []string
		counts         Counts
	}{
		{"empty", "", "", nil, Counts{}},
		{"nothing to take out", "Associate ID gardenshop-20, ASIN B0009JU8B4, $14.95 on 2009-10-05 21:03:09",
			"Associate ID gardenshop-20, ASIN B0009JU8B4, $14.95 on 2009-10-05 21:03:09", nil, Counts{}},
		{"email", "write to " + visitor + ".", "write to " + Email + ".", nil, Counts{Emails: 1}},
		{"email in HTML", `<a href="mailto:` + visitor + `">` + visitor + `</a>`,
			`<a href="mailto:` + Email + `">` + Email + `</a>`, nil, Counts{Emails: 2}},
		{"email in single quotes", "$x = '" + visitor + "';", "$x = '" + Email + "';", nil, Counts{Emails: 1}},
		{"email URL-encoded", "contact.php?to=" + url.QueryEscape(visitor), "contact.php?to=redacted%40example.invalid", nil, Counts{Emails: 1}},
		{"placeholders stay", OwnerEmail + " " + Email, OwnerEmail + " " + Email, nil, Counts{}},
		{"a URL's user part", "ftp://jane@files.gardenshop.example/x", "ftp://redacted@files.gardenshop.example/x", nil, Counts{Emails: 1}},
		{"retina images are not addresses", `<img src="logo@2x.png">`, `<img src="logo@2x.png">`, nil, Counts{}},
		{"ipv4", "Visitor IP: " + visitIP + "\n", "Visitor IP: " + IP + "\n", nil, Counts{IPs: 1}},
		{"ipv4 twice", visitIP + "," + visitIP, IP + "," + IP, nil, Counts{IPs: 2}},
		{"ipv6", "Visitor IP: 2001:db8:85a3::8a2e:370:7334.", "Visitor IP: " + IP + ".", nil, Counts{IPs: 1}},
		{"a URL's host stays", "http://192.0.2.10/shop.php and http://[2001:db8::10]/shop.php",
			"http://192.0.2.10/shop.php and http://[2001:db8::10]/shop.php", nil, Counts{}},
		{"not addresses", "jquery-1.2.3.4.5.js 999.1.1.1 10:20:30 Shop :: Home li::before Cart::add ::1",
			"jquery-1.2.3.4.5.js 999.1.1.1 10:20:30 Shop :: Home li::before Cart::add ::1", nil, Counts{}},
		{"secret", "key=" + secret + " again " + secret, "key=" + secretPH + " again " + secretPH, []string{secret}, Counts{SecretKeys: 2}},
		{"secret URL-encoded", "&AWSSecretKey=" + url.QueryEscape(secret), "&AWSSecretKey=" + url.QueryEscape(secretPH), []string{secret}, Counts{SecretKeys: 1}},
		{"short secret stays", "abc abcshop-20", "abc abcshop-20", []string{"abc"}, Counts{}},
		{"CRLF", "From: " + visitor + "\r\nIP: " + visitIP + "\r\n", "From: " + Email + "\r\nIP: " + IP + "\r\n", nil, Counts{Emails: 1, IPs: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Counts
			if got := Text(tt.in, &c, tt.secrets...); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if c != tt.counts {
				t.Errorf("counts %+v, want %+v", c, tt.counts)
			}
		})
	}
}

// The cart-report emails of the tests.
const (
	plainMail = "Return-Path: <noreply@gardenshop.example>\n" +
		"Received: from shop.gardenshop.example ([" + visitIP + "]) by mx.example\n" +
		"From: \"Garden Shop\" <noreply@gardenshop.example>\n" +
		"To: Jane Owner <" + owner + ">, bob@gardenshop.example\n" +
		"Subject: Remote Cart Report: Garden Shop\n" +
		"Date: Mon, 05 Oct 2009 21:03:09 -0400\n" +
		"Message-ID: <1254790989.2@gardenshop.example>\n" +
		"\n" +
		"A visitor checked out to Amazon.\n" +
		"Visitor IP: " + visitIP + "\n" +
		"ASIN: B0009JU8B4   Qty: 1   Price: $14.95\n" +
		"Amazon cart: https://www.amazon.com/gp/cart/aws-merge.html?cart-id=1&associate-id=" + assocID + "&AWSAccessKeyId=" + accessID + "\n"
	reply = "From: Jane Owner <" + owner + ">\n" +
		"To: noreply@gardenshop.example\n" +
		"In-Reply-To: <1254790989.2@gardenshop.example>\n" +
		"\n" +
		"Thanks.\n"
)

func TestMail(t *testing.T) {
	qpBody := "Visitor: " + visitor + "\nIP: " + visitIP + "\nAmazon cart: https://www.amazon.com/gp/cart/aws-merge.html?cart-id=3D1&assoc=\niate-id=3D" + assocID + "\n"
	b64 := base64.StdEncoding.EncodeToString([]byte("Visitor: " + visitor + "\nIP: " + visitIP + "\nkey " + secret + "\nassociate-id=" + assocID + "\n"))
	tests := []struct {
		name    string
		in      string
		secrets []string
		counts  Counts
		keep    []string // what must survive
	}{
		{"empty", "", nil, Counts{}, nil},
		{"headers and body", plainMail, nil, Counts{Emails: 4, IPs: 2, Names: 2},
			[]string{"Subject: Remote Cart Report: Garden Shop", "Date: Mon, 05 Oct 2009 21:03:09 -0400", "associate-id=" + assocID,
				"AWSAccessKeyId=" + accessID, "B0009JU8B4", "$14.95", "From: [redacted] <" + Email + ">",
				"To: [redacted] <" + Email + ">, <" + Email + ">"}},
		{"CRLF", strings.ReplaceAll(plainMail, "\n", "\r\n"), nil, Counts{Emails: 4, IPs: 2, Names: 2},
			[]string{"Subject: Remote Cart Report: Garden Shop\r\n", "associate-id=" + assocID + "&"}},
		{"quoted-printable", "From: noreply@gardenshop.example\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n" + qpBody,
			nil, Counts{Emails: 2, IPs: 1}, []string{"Content-Transfer-Encoding: quoted-printable", "associate-id=" + assocID}},
		{"base64 with a secret", "From: noreply@gardenshop.example\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n",
			[]string{secret}, Counts{Emails: 2, IPs: 1, SecretKeys: 1}, []string{"Content-Transfer-Encoding: base64"}},
		{"multipart", "From: noreply@gardenshop.example\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n" +
			"--b1\nContent-Type: text/plain\n\nVisitor IP: " + visitIP + "\n" +
			"--b1\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n" +
			base64.StdEncoding.EncodeToString([]byte(`<p>Visitor: <a href="mailto:`+visitor+`">`+visitor+`</a></p>`)) + "\n" +
			"--b1--\n", nil, Counts{Emails: 3, IPs: 1}, []string{"--b1\nContent-Type: text/html", "--b1--"}},
		{"mbox", "From noreply@gardenshop.example Mon Oct  5 21:03:09 2009\n" + plainMail + "\n" +
			"From " + owner + " Tue Oct  6 08:00:00 2009\n" + reply, nil, Counts{Emails: 8, IPs: 2, Names: 3},
			[]string{"From " + Email + " Mon Oct  5 21:03:09 2009\n", "\nFrom " + Email + " Tue Oct  6 08:00:00 2009\n"}},
		{"not a mail", "just text from " + visitIP + "\n", nil, Counts{IPs: 1}, []string{"just text from " + IP}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, c := Mail([]byte(tt.in), tt.secrets...)
			got := string(out)
			if strings.Count(got, "\n") != strings.Count(tt.in, "\n") {
				t.Errorf("%d lines, want %d:\n%s", strings.Count(got, "\n"), strings.Count(tt.in, "\n"), got)
			}
			text := got + "\n" + decodeBase64Blocks(got) + "\n" + decodeQP(got)
			if c != tt.counts {
				t.Errorf("counts %+v, want %+v\n%s", c, tt.counts, text)
			}
			for _, gone := range []string{owner, visitor, visitIP, secret, "Jane Owner", "Garden Shop\" <", "bob@", "1254790989.2@"} {
				if strings.Contains(text, gone) {
					t.Errorf("%q survives:\n%s", gone, text)
				}
			}
			for _, k := range tt.keep {
				if !strings.Contains(text, k) {
					t.Errorf("%q is lost:\n%s", k, text)
				}
			}
		})
	}
}

// TestMailMessageIDs checks that message IDs are replaced by digests that
// still match: a reply names the message it answers.
func TestMailMessageIDs(t *testing.T) {
	out, _ := Mail([]byte("From a Mon Oct  5 21:03:09 2009\n" + plainMail + "\nFrom x Tue Oct  6 08:00:00 2009\n" + reply))
	var ids []string
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Message-ID: "); ok {
			ids = append(ids, v)
		}
		if v, ok := strings.CutPrefix(l, "In-Reply-To: "); ok {
			ids = append(ids, v)
		}
	}
	if len(ids) != 2 || ids[0] != ids[1] || !strings.HasSuffix(ids[0], "@example.invalid>") {
		t.Errorf("message IDs %q: want one digest, twice", ids)
	}
}

// TestMailStaysReadable checks that the cart-report reader reads a redacted
// mailbox as it read the original.
func TestMailStaysReadable(t *testing.T) {
	in := "From a Mon Oct  5 21:03:09 2009\n" + plainMail + "\nFrom b Tue Oct  6 08:00:00 2009\n" + plainMail
	if evidence.Sniff([]byte(in)) != store.KindCartReports {
		t.Skip("the test mail is not taken for a cart report")
	}
	out, _ := Mail([]byte(in))
	if got := evidence.Sniff(out); got != store.KindCartReports {
		t.Errorf("the redacted mailbox is taken for %s", got)
	}
}

// decodeQP decodes s as quoted-printable, or returns nothing.
func decodeQP(s string) string {
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		return ""
	}
	return string(b)
}

func decodeBase64Blocks(s string) string {
	var out, block strings.Builder
	flush := func() {
		if b, err := base64.StdEncoding.DecodeString(block.String()); err == nil {
			out.Write(b)
			out.WriteByte('\n')
		}
		block.Reset()
	}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, "\r")
		if len(l) >= 16 && strings.Trim(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == "" {
			block.WriteString(l)
			continue
		}
		flush()
	}
	flush()
	return out.String()
}

func TestFile(t *testing.T) {
	page := `<html><body><a href="https://www.amazon.com/dp/B0009JU8B4%3Ftag%3D` + assocID + `">x</a>` +
		`<p>Contact: ` + owner + `</p><!-- ` + secret + ` --></body></html>`
	out, c := File(store.KindStorePage, []byte(page), secret)
	if got := string(out); strings.Contains(got, owner) || strings.Contains(got, secret) || !strings.Contains(got, "%3Ftag%3D"+assocID) {
		t.Errorf("store page:\n%s", got)
	}
	if c != (Counts{SecretKeys: 1, Emails: 1}) {
		t.Errorf("store page counts %+v", c)
	}

	// A report saved as "Unicode text" (UTF-16 with a byte order mark).
	report := "Tracking ID\tClicks\n" + assocID + "\t3\nnote: " + visitor + "\n"
	for _, le := range []bool{true, false} {
		in := utf16Bytes(report, le)
		out, c = File(store.KindReportTracking, in)
		got, ok := fromUTF16(out, le)
		if !ok || strings.Contains(got, visitor) || !strings.Contains(got, assocID+"\t3") || c.Emails != 1 {
			t.Errorf("UTF-16 (little-endian %v): %q, %+v", le, got, c)
		}
	}

	// Settings and mail go to their own redaction.
	if out, c := File(store.KindSettingsINI, []byte("AwsSecretKey = "+secret+"\n")); strings.Contains(string(out), secret) || c.SecretKeys != 1 {
		t.Errorf("settings: %s %+v", out, c)
	}
	if out, c := File(store.KindCartReports, []byte(plainMail)); strings.Contains(string(out), owner) || c.Names != 2 {
		t.Errorf("mail: %s %+v", out, c)
	}
	if out, c := File(store.KindLinkList, nil); len(out) != 0 || c != (Counts{}) {
		t.Errorf("empty: %q %+v", out, c)
	}
}

func utf16Bytes(s string, littleEndian bool) []byte {
	out := []byte{0xfe, 0xff}
	if littleEndian {
		out = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if littleEndian {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}

func fromUTF16(b []byte, littleEndian bool) (string, bool) {
	if !bytes.Equal(b[:2], utf16Bytes("", littleEndian)) || len(b)%2 != 0 {
		return "", false
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 2; i < len(b); i += 2 {
		if littleEndian {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		} else {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
	}
	return string(utf16.Decode(u)), true
}

func TestSecretPlaceholder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{secret, ""}, // see below
		{"abc", "red"},
		{"ABC 123", "RED 000"},
		{"Ao Uk2Q", "Re Ac0E"},
		{"a+b/c=", "r+d/c="},
	}
	for _, tt := range tests {
		got := SecretPlaceholder(tt.in)
		if tt.in == secret {
			// Only the shape is promised: same length, same kinds of
			// characters in the same places.
			if len(got) != len(secret) || got == secret || !sameShape(got, secret) {
				t.Errorf("SecretPlaceholder(%q) = %q: not of the same shape", tt.in, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("SecretPlaceholder(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if SecretPlaceholder(SecretPlaceholder(secret)) != SecretPlaceholder(secret) {
		t.Error("a placeholder redacted again changes")
	}
}

func sameShape(a, b string) bool {
	class := func(r byte) byte {
		switch {
		case r >= 'a' && r <= 'z':
			return 'a'
		case r >= 'A' && r <= 'Z':
			return 'A'
		case r >= '0' && r <= '9':
			return '0'
		}
		return r
	}
	for i := range len(a) {
		if class(a[i]) != class(b[i]) {
			return false
		}
	}
	return true
}

func TestCounts(t *testing.T) {
	tests := []struct {
		c    Counts
		want string
	}{
		{Counts{}, "nothing"},
		{Counts{SecretKeys: 1}, "secret key: 1"},
		{Counts{Emails: 3, IPs: 2}, "email addresses: 3, IP addresses: 2"},
		{Counts{SecretKeys: 2, Emails: 1, IPs: 1, Names: 4}, "secret key: 2, email addresses: 1, IP addresses: 1, names: 4"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.c, got, tt.want)
		}
	}
	sum := Counts{Emails: 1}
	sum.Add(Counts{SecretKeys: 1, Emails: 2, IPs: 3, Names: 4})
	if sum != (Counts{SecretKeys: 1, Emails: 3, IPs: 3, Names: 4}) {
		t.Errorf("Add: %+v", sum)
	}
}

// TestSettingsOwnerAddress checks that the owner's address becomes
// OwnerEmail wherever it stands in the settings, in any case, and that an
// address it is only the start of becomes Email whole.
func TestSettingsOwnerAddress(t *testing.T) {
	in := "<?php\n$cfg['ReportsEmail']['value'] = '" + owner + "';\n" +
		"// also " + owner + ".net and " + strings.ToUpper(owner) + "\n"
	out, c := Settings(store.KindSettingsPHP, []byte(in))
	want := "<?php\n$cfg['ReportsEmail']['value'] = '" + OwnerEmail + "';\n" +
		"// also " + Email + " and " + OwnerEmail + "\n"
	if string(out) != want || c != (Counts{Emails: 3}) {
		t.Errorf("got %q (%+v)\nwant %q", out, c, want)
	}
}
