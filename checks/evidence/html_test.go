package evidence

import (
	"strings"
	"testing"
)

const controlPanel = `<!DOCTYPE html>
<html><head><title>Associate-O-Matic Control Panel</title></head>
<body>
<form method="post" action="login.php"><input type="password" name="password" value="hunter2"></form>
<form method="post" action="cp.php?a=settings">
<input type="text" name="AmazonAssociateId" value="gardenshop-20">
<input type="hidden" name="cfg[EcsVersion]" value="2005-09-15">
<input type="email" name='ReportsEmail' value="orders@gardenshop.example">
<input type="password" name=AwsSecretKey value="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY">
<select name="AmazonStoreType">
  <option value="Amazon.com">Amazon.com</option>
  <option value="Amazon.co.uk" selected>Amazon.co.uk</option>
</select>
<select name="AmazonConnectionMethod">
  <option value="aom">RECOMMENDED: let Associate-O-Matic determine best method</option>
  <option value="soap">SOAP</option>
</select>
<input type="radio" name="ShoppingCart" value="Yes">
<input type="radio" name="ShoppingCart" value="No" checked>
<input type="checkbox" name="Reports[]" value="Remote_Cart" checked="checked">
<input type="checkbox" name="Reports[]" value="Other">
<input type="checkbox" name="PageCaching" value="On">
<textarea name="SiteFooter">Thanks for
shopping</textarea>
<select name="Empty"></select>
<input type="submit" name="save" value="Save">
</form>
<form action="search.php"><input type="text" name="k" value="pruners"></form>
</body></html>`

func TestReadSettingsHTML(t *testing.T) {
	s, err := ReadSettingsHTML("cp.html", strings.NewReader(controlPanel))
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, s, "cp.html",
		want{key: "AmazonAssociateId", text: "gardenshop-20", line: 6},
		want{key: "EcsVersion", text: "2005-09-15", line: 7},
		want{key: "ReportsEmail", text: "orders@gardenshop.example", line: 8},
		want{key: "AwsSecretKey", text: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", line: 9},
		want{key: "AmazonStoreType", text: "Amazon.co.uk", line: 10},
		want{key: "AmazonConnectionMethod", text: "aom", line: 14},
		want{key: "ShoppingCart", text: "No", line: 19},
		want{key: "Reports", text: "Remote_Cart", list: []string{"Remote_Cart"}, line: 20},
		want{key: "PageCaching", missing: true}, // not ticked: a browser sends nothing
		want{key: "SiteFooter", text: "Thanks for\nshopping", line: 23},
		want{key: "Empty", text: ""},
		want{key: "save", missing: true},
		// Fields of the other forms on the page are not settings.
		want{key: "password", missing: true},
		want{key: "k", missing: true},
	)
}

func TestReadSettingsHTMLLists(t *testing.T) {
	tests := []struct {
		name string
		page string
		want want
	}{
		{"none ticked is an empty list",
			`<form><input name="AmazonAssociateId" value="x-20"><input type="checkbox" name="Reports[]" value="Remote_Cart"></form>`,
			want{key: "Reports", text: "", list: []string{}}},
		{"no checkbox at all is no list",
			`<form><input name="AmazonAssociateId" value="x-20"></form>`,
			want{key: "Reports", missing: true}},
		{"cfg[Reports][] with two ticked",
			`<form><input name="AmazonAssociateId" value="x-20">
<input type="checkbox" name="cfg[Reports][]" value="Remote_Cart" checked><input type="checkbox" name="cfg[Reports][]" value="Other" checked></form>`,
			want{key: "Reports", text: "Remote_Cart, Other", list: []string{"Remote_Cart", "Other"}, line: 2}},
		{"multiple select",
			`<form><input name="AmazonAssociateId" value="x-20"><select name="Reports" multiple><option selected>Remote_Cart</option><option>Other</option></select></form>`,
			want{key: "Reports", text: "Remote_Cart", list: []string{"Remote_Cart"}}},
		{"ticked box without value sends on",
			`<form><input name="AmazonAssociateId" value="x-20"><input type="checkbox" name="PageCaching" checked></form>`,
			want{key: "PageCaching", text: "on"}},
		{"cfg[key][value] and case-insensitive keys",
			`<form><input name="cfg[amazonassociateid][value]" value="x-20"></form>`,
			want{key: "AmazonAssociateId", text: "x-20"}},
		{"select without selected takes the first",
			`<form><select name="AmazonStoreType"><option>Amazon.com</option><option>Amazon.ca</option></select></form>`,
			want{key: "AmazonStoreType", text: "Amazon.com"}},
		{"known key outside any form",
			`<div><input name="AmazonAssociateId" value="x-20"></div>`,
			want{key: "AmazonAssociateId", text: "x-20"}},
		{"latin-1 page",
			"<form><input name=\"AmazonAssociateId\" value=\"x-20\"><input name=\"SiteTitle\" value=\"Caf\xe9\"></form>",
			want{key: "SiteTitle", text: "Café"}},
		{"escaped name still finds its line",
			`<form><input name="AmazonAssociateId" value="x-20"><input name="a&#91;b&#93;" value="y"></form>`,
			want{key: "b", text: "y", line: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ReadSettingsHTML("cp.html", strings.NewReader(tc.page))
			if err != nil {
				t.Fatal(err)
			}
			checkValues(t, s, "cp.html", tc.want)
		})
	}
}

func TestReadSettingsHTMLLineNotFound(t *testing.T) {
	// A ">" inside an attribute hides the name from the line search: the
	// value is still read, with line 0.
	page := "<form>\n<input data-x=\">\" name=\"AmazonAssociateId\" value=\"x-20\"></form>"
	s, err := ReadSettingsHTML("cp.html", strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("AmazonAssociateId"); v.Text != "x-20" || v.Source.Line != 0 {
		t.Errorf("got %+v, want x-20 on line 0", v)
	}
}

func TestReadSettingsHTMLErrors(t *testing.T) {
	tests := []struct{ name, page, want string }{
		{"store page", `<html><body><form><input name="k"></form></body></html>`, "no AOM settings form found in this page"},
		{"no form at all", `<!doctype html><p>hello</p>`, "no AOM settings form found in this page"},
		{"binary", "<html>\x00\x00\x00", "binary data, not a settings file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSettingsHTML("page.html", strings.NewReader(tc.page))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestFieldKey(t *testing.T) {
	tests := []struct {
		name, key string
		list      bool
	}{
		{"AmazonAssociateId", "AmazonAssociateId", false},
		{"cfg[AmazonAssociateId]", "AmazonAssociateId", false},
		{"cfg['AmazonAssociateId']", "AmazonAssociateId", false},
		{"cfg[AmazonAssociateId][value]", "AmazonAssociateId", false},
		{"Reports[]", "Reports", true},
		{"cfg[Reports][]", "Reports", true},
		{"broken[name", "broken[name", false},
		{"[]", "", true},
	}
	for _, tc := range tests {
		key, list := fieldKey(tc.name)
		if key != tc.key || list != tc.list {
			t.Errorf("fieldKey(%q) = %q, %v; want %q, %v", tc.name, key, list, tc.key, tc.list)
		}
	}
}
