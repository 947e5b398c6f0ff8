// The admin's rich-text editor (django-prose-editor's ProseMirror build, served from our own
// static files: no CDN, no inline script, so it runs under the strict Content-Security-Policy).
// It edits the textarea it replaces; what it writes is still cleaned by s4c.html.sanitize_html
// when the service saves it. Only the marks the sanitiser keeps are offered.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Extension,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  Italic,
  Link,
  ListItem,
  Menu,
  OrderedList,
  Paragraph,
  Text,
  Underline,
  crel,
  gettext,
  initializeEditors,
} from "../../django_prose_editor/editor.js";

const SELECTOR = "textarea[data-s4c-rich-text]";

// The editor's own interface in the admin's language. django-prose-editor translates its dialogs
// (the link's "URL", "Title", "Open in new window", "Update", "Cancel", "List properties"…) with
// Django's JavaScript catalogue (window.gettext: the admin's, core/admin.py, whose Arabic is in
// core/locale/ar/LC_MESSAGES/djangojs.po), but names its menu's buttons and the block-type
// menu's choices in English ("bold", "Heading 2", "Paragraph"). This extension defines the
// same menu items again, under their own names (a later definition replaces an earlier one,
// in its place), with those names translated; what each item does is the editor's own.
// A level is written in the page's digits (Arabic-Indic in the Arabic admin, as admin_digits.js
// writes Django's own scripts' numbers).
const digits = (number) =>
  document.documentElement.lang === "ar"
    ? String(number).replace(/[0-9]/g, (digit) => "٠١٢٣٤٥٦٧٨٩"[digit])
    : String(number);

function labelled(button, label) {
  button.title = label;
  button.setAttribute("aria-label", label);
  return button;
}

const TranslatedMenu = Extension.create({
  name: "s4cTranslatedMenu",
  addMenuItems({ buttons, menu }) {
    const button = (icon, label) => buttons.material(icon, label);
    const heading = this.editor.extensionManager.extensions.find((e) => e.name === "heading");
    for (const level of heading ? heading.options.levels : []) {
      const label = gettext("Heading %s").replace("%s", digits(level));
      menu.defineItem({
        name: `heading${level}`,
        groups: "blockType nodes headings",
        button: labelled(buttons.heading(level), label),
        option: crel(`h${level}`, { textContent: label }),
        active: (editor) => editor.isActive("heading", { level }),
        command: (editor) => editor.chain().focus().toggleHeading({ level }).run(),
      });
    }
    menu.defineItem({
      name: "paragraph",
      groups: "blockType nodes",
      button: button("notes", gettext("Paragraph")),
      option: crel("p", { textContent: gettext("Paragraph") }),
      active: (editor) => editor.isActive("paragraph"),
      command: (editor) => editor.chain().focus().setParagraph().run(),
    });
    menu.defineItem({
      name: "bulletList",
      groups: "blockType lists nodes",
      button: button("format_list_bulleted", gettext("Bulleted list")),
      option: crel("p", { textContent: gettext("Bulleted list") }),
      active: () => false,
      enabled: (editor) => editor.can().toggleBulletList(),
      command: (editor) => editor.chain().focus().toggleBulletList().run(),
    });
    menu.defineItem({
      name: "orderedList",
      groups: "blockType lists nodes",
      button: button("format_list_numbered", gettext("Numbered list")),
      option: crel("p", { textContent: gettext("Numbered list") }),
      active: (editor) => editor.isActive("orderedList"),
      enabled: (editor) => editor.can().toggleOrderedList(),
      command: (editor) => editor.chain().focus().toggleOrderedList().run(),
    });
    menu.defineItem({
      name: "blockquote",
      groups: "nodes",
      button: button("format_quote", gettext("Quotation")),
      option: crel("p", { textContent: gettext("Quotation") }),
      active: (editor) => editor.isActive("blockquote"),
      enabled: (editor) => editor.can().toggleBlockquote(),
      command: (editor) => editor.chain().focus().toggleBlockquote().run(),
    });
    const marks = [
      ["bold", "format_bold", gettext("Bold")],
      ["italic", "format_italic", gettext("Italic")],
      ["underline", "format_underline", gettext("Underline")],
    ];
    for (const [mark, icon, label] of marks) {
      menu.defineItem({
        name: mark,
        groups: "marks",
        button: button(icon, label),
        active: (editor) => editor.isActive(mark),
        enabled: (editor) => editor.can().toggleMark(mark),
        command: (editor) => editor.chain().focus().toggleMark(mark).run(),
      });
    }
    menu.defineItem({
      name: "link",
      groups: "link",
      button: button("insert_link", gettext("Insert link")),
      active: (editor) => editor.isActive("link"),
      enabled: (editor) => !editor.state.selection.empty || editor.isActive("link"),
      command: (editor) => editor.chain().addLink().focus().run(),
    });
    menu.defineItem({
      name: "unlink",
      groups: "link",
      button: button("link_off", gettext("Remove link")),
      hidden: (editor) => !editor.isActive("link"),
      command: (editor) => editor.chain().focus().unsetLink().run(),
    });
    menu.defineItem({
      name: "history:undo",
      groups: "history",
      button: button("undo", gettext("Undo")),
      enabled: (editor) => editor.can().undo(),
      command: (editor) => editor.commands.undo(),
    });
    menu.defineItem({
      name: "history:redo",
      groups: "history",
      button: button("redo", gettext("Redo")),
      enabled: (editor) => editor.can().redo(),
      command: (editor) => editor.commands.redo(),
    });
  },
});

// django-prose-editor's createTextareaEditor, with Tiptap's injected <style> turned off: the strict
// CSP blocks it, and its rules are served as a static file instead (s4c/css/rich_text.css).
function createTextareaEditor(textarea, extensions) {
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = crel("div", { className: `prose-editor ${disabled ? "disabled" : ""}` });
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new Editor({
    element: wrapper,
    editable: !disabled,
    extensions,
    content: textarea.value,
    injectCSS: false,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      // An empty editor is an empty field, not "<p></p>".
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

function create(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const editor = createTextareaEditor(textarea, [
    Document,
    Dropcursor,
    Gapcursor,
    Paragraph,
    HardBreak,
    Text,
    History,
    Menu,
    Bold,
    Italic,
    Underline,
    Link,
    BulletList,
    OrderedList,
    ListItem,
    Heading.configure({ levels: [2, 3, 4] }),
    Blockquote,
    TranslatedMenu,
  ]);
  // An Arabic field is written right to left: the editor follows the textarea's direction
  // and language, so the caret, the lists and the menu sit where an Arabic writer expects.
  const wrapper = textarea.closest(".prose-editor");
  const dir = textarea.getAttribute("dir");
  const lang = textarea.getAttribute("lang");
  if (wrapper && dir) wrapper.setAttribute("dir", dir);
  if (wrapper && lang) wrapper.setAttribute("lang", lang);
  if (wrapper) {
    const editable = wrapper.querySelector("[contenteditable]");
    if (editable && dir) editable.setAttribute("dir", dir);
    if (editable && lang) editable.setAttribute("lang", lang);
  }
  return editor;
}

initializeEditors(create, SELECTOR);
