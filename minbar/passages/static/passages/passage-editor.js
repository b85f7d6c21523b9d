// Draftail entity "question on a passage": select words, press the ؟ button,
// type the question. Stored as <span data-passage="KEY" data-question="…">.
// Uses the React and DraftJS that Wagtail's admin already exposes: no download.
(() => {
  const React = window.React;
  const { EditorState, RichUtils } = window.DraftJS;

  const newKey = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    return 'q' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  // The whole range of the passage entity under the cursor, to edit or remove it at once.
  const entityRangeAt = (content, selection, type) => {
    const block = content.getBlockForKey(selection.getStartKey());
    const entityKey = block.getEntityAt(selection.getStartOffset());
    if (!entityKey || content.getEntity(entityKey).getType() !== type) return null;
    let found = null;
    block.findEntityRanges(
      (character) => character.getEntity() === entityKey,
      (start, end) => {
        if (start <= selection.getStartOffset() && selection.getStartOffset() <= end) found = { start, end };
      },
    );
    if (!found) return null;
    return {
      entityKey,
      selection: selection.merge({ anchorOffset: found.start, focusOffset: found.end, isBackward: false }),
    };
  };

  class PassageSource extends React.Component {
    componentDidMount() {
      const { editorState, entityType, onComplete } = this.props;
      const content = editorState.getCurrentContent();
      const selection = editorState.getSelection();
      const existing = entityRangeAt(content, selection, entityType.type);
      if (!existing && selection.isCollapsed()) {
        window.alert(entityType.selectFirst);
        onComplete(editorState);
        return;
      }
      const data = existing ? content.getEntity(existing.entityKey).getData() : {};
      const answer = window.prompt(entityType.prompt, data.question || '');
      if (answer === null) {
        onComplete(editorState);
        return;
      }
      const target = existing ? existing.selection : selection;
      const question = answer.replace(/\s+/g, ' ').trim().slice(0, 300);
      if (!question) {
        onComplete(RichUtils.toggleLink(editorState, target, null));
        return;
      }
      const withEntity = content.createEntity(entityType.type, 'MUTABLE', {
        key: data.key || newKey(),
        question,
      });
      const entityKey = withEntity.getLastCreatedEntityKey();
      const nextState = EditorState.push(editorState, withEntity, 'apply-entity');
      onComplete(RichUtils.toggleLink(nextState, target, entityKey));
    }

    render() {
      return null;
    }
  }

  const PassageDecorator = ({ entityKey, contentState, children }) => {
    const { question } = contentState.getEntity(entityKey).getData();
    return React.createElement('span', { className: 'passage-question-mark', title: question, 'data-question': question }, children);
  };

  window.draftail.registerPlugin({ type: 'PASSAGE', source: PassageSource, decorator: PassageDecorator }, 'entityTypes');
})();
