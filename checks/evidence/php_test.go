package evidence

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aomdoctor/aomdoctor/checks/store"
)

// want is the expected reading of one key.
type want struct {
	key     string
	text    string
	line    int
	list    []string // nil: not a list
	isList  bool
	deflt   bool
	missing bool // the key must not be there
}

// checkValues checks s against ws, and that every value cites name.
func checkValues(t *testing.T, s *store.Settings, name string, ws ...want) {
	t.Helper()
	if s == nil {
		t.Fatal("settings are nil")
	}
	for _, v := range s.Values() {
		if v.Key == "" || v.Source.Path != name || v.Source.Field != v.Key {
			t.Errorf("value %+v: want a key, Source.Path %q and Field = Key", v, name)
		}
	}
	for _, w := range ws {
		v, ok := s.Get(w.key)
		if w.missing {
			if ok {
				t.Errorf("%s: got %+v, want no value", w.key, v)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: missing; have %v", w.key, s.Values())
			continue
		}
		if v.Text != w.text {
			t.Errorf("%s: text %q, want %q", w.key, v.Text, w.text)
		}
		if w.line != 0 && v.Source.Line != w.line {
			t.Errorf("%s: line %d, want %d", w.key, v.Source.Line, w.line)
		}
		if v.IsList != (w.isList || w.list != nil) {
			t.Errorf("%s: IsList %v, want %v", w.key, v.IsList, !v.IsList)
		}
		if w.list != nil && !reflect.DeepEqual(v.List, w.list) {
			t.Errorf("%s: list %q, want %q", w.key, v.List, w.list)
		}
		if v.Default != w.deflt {
			t.Errorf("%s: Default %v, want %v", w.key, v.Default, w.deflt)
		}
	}
}

func TestReadPHP(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"value field", `<?php
$cfg['AmazonAssociateId']['value'] = "gardenshop-20";`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 2}}},
		{"plain key, any variable", `<?php
$aom['AmazonAssociateId'] = 'gardenshop-20';
$settings["ShoppingCart"] = "No";`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 2}, {key: "ShoppingCart", text: "No", line: 3}}},
		{"define", `<?php
define('AmazonAssociateId', 'gardenshop-20');
define("PageCaching", "Off", true);`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 2}, {key: "PageCaching", text: "Off", line: 3}}},
		{"snippet without open tag", `$cfg['AmazonAssociateId']['value'] = "gardenshop-20";`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 1}}},
		{"single-quote escapes", `<?php $cfg['ReportsEmail'] = 'it\'s \\ here \n $x';`,
			[]want{{key: "ReportsEmail", text: `it's \ here \n $x`}}},
		{"double-quote escapes", `<?php $cfg['ReportsEmail'] = "a\tb\n\"q\" \\ \$x \x41\101 \u{e9} \q $var";`,
			[]want{{key: "ReportsEmail", text: "a\tb\n\"q\" \\ $x AA é \\q $var"}}},
		{"escape making invalid UTF-8", `<?php $cfg['ReportsEmail'] = "caf\xe9";`,
			[]want{{key: "ReportsEmail", text: "caf\uFFFD"}}},
		{"bare literals", `<?php
$cfg['EcsVersion'] = 2005;
$cfg['UrlRest'] = -1.5;
$cfg['PageCaching'] = TRUE;
$cfg['ShoppingCart'] = false;
$cfg['ReportsEmail'] = null;`,
			[]want{{key: "EcsVersion", text: "2005"}, {key: "UrlRest", text: "-1.5"}, {key: "PageCaching", text: "true"},
				{key: "ShoppingCart", text: "false"}, {key: "ReportsEmail", text: ""}}},
		{"comments", `<?php
// $cfg['AmazonAssociateId'] = 'commented-20';
# $cfg['AmazonAssociateId'] = 'hashed-20';
/* $cfg['AmazonAssociateId'] = 'blocked-20';
   it's a multi-line comment */
$cfg['AmazonAssociateId'] = 'real-20'; // trailing comment with a ' quote
$cfg['ReportsEmail'] = "a//b#c/*d*/e"; # comment marks inside a string are text`,
			[]want{{key: "AmazonAssociateId", text: "real-20", line: 6}, {key: "ReportsEmail", text: "a//b#c/*d*/e", line: 7}}},
		{"list forms", `<?php
$cfg['Reports']['value'] = Array('Remote_Cart');
$a['Reports2'] = array();
$a['Reports3'] = ['Remote_Cart', "Other",];`,
			[]want{{key: "Reports", text: "Remote_Cart", list: []string{"Remote_Cart"}, line: 2},
				{key: "Reports2", text: "", list: []string{}},
				{key: "Reports3", text: "Remote_Cart, Other", list: []string{"Remote_Cart", "Other"}}}},
		{"multi-line array keeps its first line", `<?php

$cfg['Reports']['value'] = array(
    'Remote_Cart',
    'Other'
);
$cfg['AmazonAssociateId']['value'] = 'after-20';`,
			[]want{{key: "Reports", text: "Remote_Cart, Other", list: []string{"Remote_Cart", "Other"}, line: 3},
				{key: "AmazonAssociateId", text: "after-20", line: 7}}},
		{"definitions: default only, other fields ignored", `<?php
$cfg['AmazonAssociateId']['type'] = "text";
$cfg['AmazonAssociateId']['help'] = "Your Amazon Associate ID. Don't forget the -20";
$cfg['AmazonAssociateId']['required'] = true;
$cfg['AmazonAssociateId']['default'] = "associatomati-20";
$cfg['AmazonConnectionMethod']['list'] = array('aom' => 'RECOMMENDED', 'rest_curl' => 'REST via cURL');
$cfg['AmazonConnectionMethod']['list'][0] = 'x';
$cfg['AmazonConnectionMethod']['default'] = 'aom';`,
			[]want{{key: "AmazonAssociateId", text: "associatomati-20", line: 5, deflt: true},
				{key: "AmazonConnectionMethod", text: "aom", line: 8, deflt: true}}},
		{"value beats default, in either order", `<?php
$cfg['AmazonAssociateId']['value'] = "gardenshop-20";
$cfg['AmazonAssociateId']['default'] = "associatomati-20";
$cfg['ShoppingCart']['default'] = "Yes";
$cfg['ShoppingCart']['value'] = "No";`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 2}, {key: "ShoppingCart", text: "No", line: 5}}},
		{"later value wins", `<?php
$cfg['AmazonAssociateId'] = "first-20";
$cfg['AmazonAssociateId'] = "second-20";`,
			[]want{{key: "AmazonAssociateId", text: "second-20", line: 3}}},
		{"definition record array", `<?php
$cfg['AmazonAssociateId'] = array(
  'type' => 'text',
  'help' => 'Your ID',
  'default' => 'associatomati-20',
);
$cfg['Reports'] = array('type' => 'checkbox', 'list' => array('Remote_Cart'), 'default' => array());`,
			[]want{{key: "AmazonAssociateId", text: "associatomati-20", line: 5, deflt: true},
				{key: "Reports", text: "", list: []string{}, deflt: true, line: 7}}},
		{"whole array and return", `<?php
$cfg = array(
  'AmazonAssociateId' => 'gardenshop-20',
  'Reports' => ['Remote_Cart'],
  0 => 'skipped',
);`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 3}, {key: "Reports", text: "Remote_Cart", line: 4, list: []string{"Remote_Cart"}}, {key: "0", missing: true}}},
		{"chained assignment", `<?php $a = $cfg['AmazonAssociateId'] = 'gardenshop-20';`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 1}}},
		{"a failed statement does not hide the next", `<?php $x = foo(); $cfg['ShoppingCart'] = 'Yes' . $y; $cfg['AmazonAssociateId'] = 'a-20';`,
			[]want{{key: "AmazonAssociateId", text: "a-20"}, {key: "ShoppingCart", missing: true}}},
		{"return array", `<?php return ['AmazonAssociateId' => 'gardenshop-20'];`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 1}}},
		{"concatenation", `<?php $cfg['UrlRest'] = 'http://webservices.amazon.com' . "/onca/xml";`,
			[]want{{key: "UrlRest", text: "http://webservices.amazon.com/onca/xml"}}},
		{"not literals are not taken", `<?php
$cfg['AmazonAssociateId'] = $other;
$cfg['UrlRest'] = getenv('URL');
$cfg['UrlSoap'] = SOME_CONSTANT;
$cfg['ShoppingCart'] .= 'x';
if ($cfg['PageCaching'] == 'On') { $x = 1; }
$cfg['ReportsEmail'] = 'ok@example.com';`,
			[]want{{key: "AmazonAssociateId", missing: true}, {key: "UrlRest", missing: true}, {key: "UrlSoap", missing: true},
				{key: "ShoppingCart", missing: true}, {key: "PageCaching", missing: true}, {key: "ReportsEmail", text: "ok@example.com", line: 7}}},
		{"text outside php is skipped", `<html><p>Don't "edit" this</p>
<?php $cfg['AmazonAssociateId'] = 'gardenshop-20'; ?>
<p>It's done</p>
<?php $cfg['ShoppingCart'] = 'Yes' ?>`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 2}, {key: "ShoppingCart", text: "Yes", line: 4}}},
		{"heredoc and nowdoc", `<?php
$cfg['AmazonAssociateId']['help'] = <<<EOT
  Don't forget the "-20" at the end.
  EOT;
$cfg['ReportsEmail'] = <<<'RAW'
it's \n raw
RAW;
$cfg['UrlRest'] = <<<"EOT"
    a\tb
    EOT;
$cfg['AmazonAssociateId'] = 'gardenshop-20';`,
			[]want{{key: "ReportsEmail", text: `it's \n raw`, line: 5}, {key: "UrlRest", text: "a\tb", line: 8},
				{key: "AmazonAssociateId", text: "gardenshop-20", line: 11}}},
		{"keys are case-insensitive", `<?php $cfg['amazonassociateid'] = 'gardenshop-20';`,
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20"}}},
		{"unknown keys kept beside known ones", `<?php
$cfg['SiteTitle']['value'] = 'Garden Shop';
$cfg['AmazonAssociateId']['value'] = 'gardenshop-20';
$cfg['']['value'] = 'no key';`,
			[]want{{key: "SiteTitle", text: "Garden Shop", line: 2}, {key: "", missing: true}}},
		{"BOM and CRLF", "\xef\xbb\xbf<?php\r\n$cfg['AmazonAssociateId'] = 'gardenshop-20';\r\n",
			[]want{{key: "AmazonAssociateId", text: "gardenshop-20", line: 2}}},
		{"multi-line string keeps counting lines", "<?php\n$cfg['Note'] = 'a\nb\nc';\n$cfg['AmazonAssociateId'] = 'x-20';",
			[]want{{key: "Note", text: "a\nb\nc", line: 2}, {key: "AmazonAssociateId", text: "x-20", line: 5}}},
		{"aws key names", `<?php
$cfg['AwsAccessKey'] = 'AKIAIOSFODNN7EXAMPLE';
$cfg['AwsSecretKey'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';`,
			[]want{{key: "awsaccesskey", text: "AKIAIOSFODNN7EXAMPLE", line: 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ReadPHP("settings.php", strings.NewReader(tc.src))
			if err != nil {
				t.Fatalf("ReadPHP: %v", err)
			}
			checkValues(t, s, "settings.php", tc.want...)
			if !reflect.DeepEqual(s.Sources, []string{"settings.php"}) {
				t.Errorf("Sources = %q", s.Sources)
			}
		})
	}
}

func TestReadPHPErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unterminated double", "<?php\n$cfg['A'] = 'x';\n\n$cfg['AmazonAssociateId'] = \"gardenshop-20;\n", "line 4: unterminated string starting here"},
		{"unterminated single", "<?php\n$cfg['AmazonAssociateId'] = 'x", "line 2: unterminated string starting here"},
		{"backslash before the end", `<?php $cfg['AmazonAssociateId'] = 'x\';`, "line 1: unterminated string starting here"},
		{"unterminated comment", "<?php\n/* open\n$cfg['AmazonAssociateId'] = 'x';", "line 2: unterminated comment starting here"},
		{"unterminated heredoc", "<?php\n$cfg['AmazonAssociateId'] = <<<EOT\nabc\n", "line 2: unterminated heredoc string starting here (no closing EOT)"},
		{"no assignments", "<?php echo 'hello';", "no settings assignments found"},
		{"empty php", "<?php ?>", "no settings assignments found"},
		{"only unknown keys", "<?php $db['host'] = 'localhost'; $db['user'] = 'root';", "no AOM settings found: the 2 assignments set none of the keys"},
		{"invalid utf-8", "<?php\n// note\n$cfg['AmazonAssociateId'] = 'caf\xe9-20';", "line 3: invalid UTF-8"},
		{"nul byte", "<?php\n$cfg['AmazonAssociateId'] = 'x';\n\x00\x00", "binary data, not a settings file"},
		{"too deep", "<?php $cfg['AmazonAssociateId'] = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + ";", "no settings assignments found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ReadPHP("settings.php", strings.NewReader(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
			if s != nil {
				t.Errorf("settings with an error: %v", s.Values())
			}
		})
	}
}
